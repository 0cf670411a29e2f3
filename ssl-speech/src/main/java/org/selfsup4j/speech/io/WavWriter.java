package org.selfsup4j.speech.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.selfsup4j.core.Checks;

/**
 * Writes RIFF/WAVE files: a {@code fmt } chunk and a {@code data} chunk, nothing else.
 *
 * <p>Integer encodings multiply by 2^(bits-1) (the divisor {@link WavReader} uses, so integer-valued
 * samples round-trip exactly), round to the nearest integer and clip to the integer range. The header is WAVE_FORMAT_EXTENSIBLE (sub-format PCM or IEEE
 * float, channel mask 0) when asked for, and otherwise plain WAVE_FORMAT_PCM / WAVE_FORMAT_IEEE_FLOAT.
 * Microsoft recommends EXTENSIBLE for more than two channels or more than 16 bits; readers of plain
 * headers are more common, so the choice is left to the caller.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class WavWriter {
    private final SampleEncoding encoding;
    private final boolean extensible;

    /**
     * @param encoding how samples are stored
     * @param extensible whether to write a WAVE_FORMAT_EXTENSIBLE header
     */
    public WavWriter(SampleEncoding encoding, boolean extensible) {
        this.encoding = Checks.notNull("WavWriter", "encoding", encoding);
        this.extensible = extensible;
    }

    /**
     * @param encoding how samples are stored; a plain (non-extensible) header
     */
    public WavWriter(SampleEncoding encoding) {
        this(encoding, false);
    }

    /**
     * Writes audio to a file, replacing it.
     *
     * @param file the destination
     * @param audio what to write (its own encoding is ignored; this writer's is used)
     * @throws IOException when the file cannot be written
     */
    public void write(Path file, Audio audio) throws IOException {
        Files.write(file, toBytes(audio));
    }

    /**
     * @param audio what to encode
     * @return the bytes of a complete WAV file
     */
    public byte[] toBytes(Audio audio) {
        int nc = audio.numChannels();
        int frames = audio.numFrames();
        int blockAlign = nc * encoding.bytes();
        long dataSize = (long) frames * blockAlign;
        int fmtSize = extensible ? 40 : 16;
        long total = 12 + 8 + fmtSize + 8 + dataSize + (dataSize & 1);
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("WavWriter.toBytes: " + total + " bytes exceed the 2 GiB array"
                    + " limit; write shorter pieces");
        }
        ByteBuffer b = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt((int) (total - 8)).put(ascii("WAVE"));
        int tag = encoding.isFloat() ? WavReader.WAVE_FORMAT_IEEE_FLOAT : WavReader.WAVE_FORMAT_PCM;
        b.put(ascii("fmt ")).putInt(fmtSize);
        b.putShort((short) (extensible ? WavReader.WAVE_FORMAT_EXTENSIBLE : tag));
        b.putShort((short) nc).putInt(audio.sampleRate()).putInt(audio.sampleRate() * blockAlign);
        b.putShort((short) blockAlign).putShort((short) encoding.bits());
        if (extensible) {
            b.putShort((short) 22).putShort((short) encoding.bits()).putInt(0);
            b.putShort((short) tag).put(WavReader.GUID_SUFFIX);
        }
        b.put(ascii("data")).putInt((int) dataSize);
        float[][] ch = audio.channels();
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < nc; c++) {
                put(b, ch[c][t]);
            }
        }
        return b.array();
    }

    private void put(ByteBuffer b, float x) {
        switch (encoding) {
            case PCM_U8:
                b.put((byte) (quantize(x, 127) + 128));
                break;
            case PCM_S16:
                b.putShort((short) quantize(x, 32767));
                break;
            case PCM_S24: {
                int v = (int) quantize(x, 8388607);
                b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
                break;
            }
            case PCM_S32:
                b.putInt((int) quantize(x, 2147483647L));
                break;
            case FLOAT_32:
                b.putFloat(x);
                break;
            case FLOAT_64:
                b.putDouble(x);
                break;
            default:
                throw new IllegalStateException("WavWriter: unhandled encoding " + encoding);
        }
    }

    /** Scales by 2^(bits-1) (the reader's divisor, so values round-trip) and clips to the range. */
    private static long quantize(float x, long max) {
        double v = Math.rint((double) x * (max + 1));
        if (Double.isNaN(v)) {
            return 0;
        }
        return (long) Math.max(-(max + 1), Math.min(max, v));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
