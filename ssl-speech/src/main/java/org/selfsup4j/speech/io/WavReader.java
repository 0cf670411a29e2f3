package org.selfsup4j.speech.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads RIFF/WAVE files without trusting their headers.
 *
 * <p>Supported: WAVE_FORMAT_PCM (8-bit unsigned, 16/24/32-bit signed), WAVE_FORMAT_IEEE_FLOAT (32/64-bit)
 * and WAVE_FORMAT_EXTENSIBLE whose sub-format GUID is PCM or IEEE float, any channel count up to
 * {@link Builder#maxChannels(int)}. Chunks may come in any order (a {@code data} chunk before
 * {@code fmt } is accepted); unknown chunks ({@code LIST}, {@code fact}, {@code cue }, ...) are skipped,
 * honouring the pad byte after odd-sized chunks.
 *
 * <p>Every size is checked against the real file length before anything is allocated from it, so the
 * largest allocation is bounded by the file's size. A {@link WavFormatException} naming the file and the
 * field is thrown for: a missing or wrong {@code RIFF}/{@code WAVE} tag, a RIFF or chunk size larger
 * than the file, zero channels, a zero sample rate, an unsupported format tag, sub-format or bit depth,
 * an inconsistent block align, a missing {@code fmt }/{@code data} chunk, a data chunk holding no
 * complete frame (zero-length audio), a NaN or infinite sample in a float file (or a 64-bit value
 * beyond the float range), and a duration above {@link Builder#maxDurationSeconds(double)}. Zero-length
 * and non-finite audio are refused rather than passed on because they turn into NaN features and
 * losses far from the file that caused them. A trailing partial frame in the data chunk is dropped
 * with a warning.
 *
 * <p>Instances are immutable and thread-safe: a record of its two limits, built with {@link #create()},
 * {@link #builder()} or the canonical constructor, which check the limits alike.
 *
 * @param maxDurationSeconds the duration limit in seconds, positive
 * @param maxChannels        the channel-count limit, 1 to 65535
 */
public record WavReader(double maxDurationSeconds, int maxChannels) {
    /** Default limit on a file's duration: one hour. */
    public static final double DEFAULT_MAX_DURATION_SECONDS = 3600.0;
    /** Default limit on the channel count. */
    public static final int DEFAULT_MAX_CHANNELS = 64;

    static final int WAVE_FORMAT_PCM = 0x0001;
    static final int WAVE_FORMAT_IEEE_FLOAT = 0x0003;
    static final int WAVE_FORMAT_EXTENSIBLE = 0xFFFE;
    /** Bytes 2..15 of KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT (the first two hold the format tag). */
    static final byte[] GUID_SUFFIX = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00,
        (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71};

    private static final Logger LOG = LoggerFactory.getLogger(WavReader.class);
    /** Bytes decoded per read of the data chunk. */
    private static final int BLOCK_BYTES = 1 << 16;

    /** Checks both limits. */
    public WavReader {
        checkDuration("WavReader", maxDurationSeconds);
        checkChannels("WavReader", maxChannels);
    }

    private static double checkDuration(String where, double seconds) {
        if (!(seconds > 0) || Double.isNaN(seconds)) {
            throw new IllegalArgumentException(where + ": expected a positive number, got " + seconds);
        }
        return seconds;
    }

    private static int checkChannels(String where, int channels) {
        if (channels < 1 || channels > 65535) {
            throw new IllegalArgumentException(where + ": expected 1..65535, got " + channels);
        }
        return channels;
    }

    /** @return a reader with the default limits */
    public static WavReader create() {
        return builder().build();
    }

    /** @return a builder for a reader with custom limits */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a WAV file.
     *
     * @param file the file
     * @return its audio, all channels
     * @throws WavFormatException when the file is malformed, unsupported or over a limit
     * @throws IOException when the file cannot be read
     */
    public Audio read(Path file) throws IOException {
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ)) {
            return read(Source.of(ch), file.toString());
        }
    }

    /**
     * Reads a WAV file held in memory.
     *
     * @param bytes the file's bytes
     * @param name a name for messages
     * @return its audio
     * @throws WavFormatException when the bytes are malformed, unsupported or over a limit
     */
    public Audio read(byte[] bytes, String name) throws WavFormatException {
        try {
            return read(Source.of(bytes), name);
        } catch (WavFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("WavReader.read: in-memory channel failed", e);
        }
    }

    /**
     * Reads a WAV file and mixes its channels down to one (their mean).
     *
     * @param file the file
     * @return mono audio
     * @throws IOException as {@link #read(Path)}
     */
    public Audio readMono(Path file) throws IOException {
        return read(file).toMono();
    }

    private Audio read(Source ch, String name) throws IOException {
        long fileSize = ch.size();
        ByteBuffer hdr = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        if (fileSize < 12) {
            throw new WavFormatException(name, "RIFF header", "expected at least 12 bytes, file has " + fileSize);
        }
        readFully(ch, hdr, 0, name, "RIFF header");
        String riff = fourcc(hdr, 0);
        if (riff.equals("RF64") || riff.equals("RIFX")) {
            throw new WavFormatException(name, "RIFF id", "expected 'RIFF', got '" + riff
                    + "' (RF64 and big-endian RIFX are not supported)");
        }
        if (!riff.equals("RIFF")) {
            throw new WavFormatException(name, "RIFF id", "expected 'RIFF', got '" + printable(riff) + "'");
        }
        long riffSize = Integer.toUnsignedLong(hdr.getInt(4));
        if (riffSize + 8 > fileSize) {
            throw new WavFormatException(name, "RIFF size", "declares " + riffSize + " bytes after the 8-byte"
                    + " header, but the file has only " + (fileSize - 8));
        }
        String wave = fourcc(hdr, 8);
        if (!wave.equals("WAVE")) {
            throw new WavFormatException(name, "RIFF form type", "expected 'WAVE', got '" + printable(wave) + "'");
        }
        long end = riffSize + 8;
        Format fmt = null;
        long dataOffset = -1;
        long dataSize = -1;
        long pos = 12;
        ByteBuffer chunkHdr = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (pos + 8 <= end && (fmt == null || dataOffset < 0)) {
            readFully(ch, chunkHdr, pos, name, "chunk header");
            String id = fourcc(chunkHdr, 0);
            long size = Integer.toUnsignedLong(chunkHdr.getInt(4));
            long body = pos + 8;
            if (body + size > end) {
                throw new WavFormatException(name, "chunk '" + printable(id) + "' size", "declares " + size
                        + " bytes at offset " + body + ", but the RIFF body ends at " + end
                        + " (file size " + fileSize + ")");
            }
            if (id.equals("fmt ")) {
                if (fmt != null) {
                    throw new WavFormatException(name, "fmt chunk", "found a second fmt chunk at offset " + pos);
                }
                fmt = parseFormat(ch, body, size, name);
            } else if (id.equals("data")) {
                if (dataOffset < 0) {
                    dataOffset = body;
                    dataSize = size;
                }
            }
            // RIFF pads odd-sized chunks to an even length.
            pos = body + size + (size & 1);
        }
        if (fmt == null) {
            throw new WavFormatException(name, "fmt chunk", "no 'fmt ' chunk found");
        }
        if (dataOffset < 0) {
            throw new WavFormatException(name, "data chunk", "no 'data' chunk found");
        }
        long frames = dataSize / fmt.blockAlign;
        if (frames * fmt.blockAlign != dataSize) {
            LOG.warn("WavReader: {}: data chunk size {} is not a multiple of the block align {}; dropping the"
                    + " trailing partial frame", name, dataSize, fmt.blockAlign);
        }
        double duration = (double) frames / fmt.sampleRate;
        if (duration > maxDurationSeconds) {
            throw new WavFormatException(name, "data chunk size", String.format(java.util.Locale.ROOT,
                    "%d frames at %d Hz is %.3f s, above the limit of %.3f s", frames, fmt.sampleRate,
                    duration, maxDurationSeconds));
        }
        if (frames == 0) {
            throw new WavFormatException(name, "data chunk size", "declares " + dataSize + " bytes, less than one"
                    + " frame of " + fmt.blockAlign + " bytes: the file holds no audio");
        }
        if (frames > Integer.MAX_VALUE - 8) {
            throw new WavFormatException(name, "data chunk size", frames + " frames do not fit in a Java array");
        }
        return new Audio(decode(ch, dataOffset, (int) frames, fmt, name), fmt.sampleRate, fmt.encoding);
    }

    private record Format(int channels, int sampleRate, int blockAlign, SampleEncoding encoding) {
    }

    private Format parseFormat(Source ch, long body, long size, String name) throws IOException {
        if (size < 16) {
            throw new WavFormatException(name, "fmt chunk size", "expected at least 16 bytes, got " + size);
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(size, 64)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, b, body, name, "fmt chunk");
        int tag = Short.toUnsignedInt(b.getShort(0));
        int channels = Short.toUnsignedInt(b.getShort(2));
        long sampleRate = Integer.toUnsignedLong(b.getInt(4));
        int blockAlign = Short.toUnsignedInt(b.getShort(12));
        int bits = Short.toUnsignedInt(b.getShort(14));
        if (channels == 0) {
            throw new WavFormatException(name, "channels", "expected at least 1, got 0");
        }
        if (channels > maxChannels) {
            throw new WavFormatException(name, "channels", "expected at most " + maxChannels + ", got " + channels);
        }
        if (sampleRate == 0 || sampleRate > Integer.MAX_VALUE) {
            throw new WavFormatException(name, "sampleRate", "expected a positive rate, got " + sampleRate);
        }
        int effectiveTag = tag;
        if (tag == WAVE_FORMAT_EXTENSIBLE) {
            if (size < 40) {
                throw new WavFormatException(name, "fmt chunk size", "WAVE_FORMAT_EXTENSIBLE needs 40 bytes, got "
                        + size);
            }
            int cbSize = Short.toUnsignedInt(b.getShort(16));
            if (cbSize < 22) {
                throw new WavFormatException(name, "cbSize", "WAVE_FORMAT_EXTENSIBLE needs at least 22, got "
                        + cbSize);
            }
            int validBits = Short.toUnsignedInt(b.getShort(18));
            if (validBits > bits) {
                throw new WavFormatException(name, "validBitsPerSample", "expected at most bitsPerSample ("
                        + bits + "), got " + validBits);
            }
            for (int i = 0; i < GUID_SUFFIX.length; i++) {
                if (b.get(26 + i) != GUID_SUFFIX[i]) {
                    throw new WavFormatException(name, "subFormat", "not a KSDATAFORMAT_SUBTYPE GUID (PCM or"
                            + " IEEE float expected)");
                }
            }
            effectiveTag = Short.toUnsignedInt(b.getShort(24));
        }
        SampleEncoding enc;
        if (effectiveTag == WAVE_FORMAT_PCM) {
            enc = SampleEncoding.of(false, bits);
        } else if (effectiveTag == WAVE_FORMAT_IEEE_FLOAT) {
            enc = SampleEncoding.of(true, bits);
        } else {
            throw new WavFormatException(name, tag == WAVE_FORMAT_EXTENSIBLE ? "subFormat" : "formatTag",
                    String.format(java.util.Locale.ROOT,
                            "expected PCM (0x0001), IEEE float (0x0003) or EXTENSIBLE (0xFFFE), got 0x%04X",
                            effectiveTag));
        }
        if (enc == null) {
            throw new WavFormatException(name, "bitsPerSample", "expected 8/16/24/32 for PCM or 32/64 for float, got "
                    + bits + (effectiveTag == WAVE_FORMAT_IEEE_FLOAT ? " (float)" : " (PCM)"));
        }
        if (blockAlign != channels * enc.bytes()) {
            throw new WavFormatException(name, "blockAlign", "expected channels * bytesPerSample = "
                    + channels * enc.bytes() + ", got " + blockAlign);
        }
        return new Format(channels, (int) sampleRate, blockAlign, enc);
    }

    private static float[][] decode(Source ch, long offset, int frames, Format fmt, String name)
            throws IOException {
        int nc = fmt.channels;
        float[][] out = new float[nc][frames];
        int framesPerBlock = Math.max(1, BLOCK_BYTES / fmt.blockAlign);
        ByteBuffer buf = ByteBuffer.allocate(framesPerBlock * fmt.blockAlign).order(ByteOrder.LITTLE_ENDIAN);
        int t = 0;
        long pos = offset;
        while (t < frames) {
            int n = Math.min(framesPerBlock, frames - t);
            buf.clear().limit(n * fmt.blockAlign);
            readFully(ch, buf, pos, name, "data chunk");
            pos += (long) n * fmt.blockAlign;
            int p = 0;
            for (int i = 0; i < n; i++, t++) {
                for (int c = 0; c < nc; c++) {
                    float v = sample(buf, p, fmt.encoding);
                    // Only float encodings can produce these; one NaN would poison every feature downstream.
                    if (!Float.isFinite(v)) {
                        throw new WavFormatException(name, "data chunk", "sample " + t + " of channel " + c
                                + " (byte offset " + (offset + (long) t * fmt.blockAlign + (long) c
                                * fmt.encoding.bytes()) + ") is " + v + " after decoding " + fmt.encoding
                                + "; expected a finite value");
                    }
                    out[c][t] = v;
                    p += fmt.encoding.bytes();
                }
            }
        }
        return out;
    }

    private static float sample(ByteBuffer b, int p, SampleEncoding e) {
        switch (e) {
            case PCM_U8:
                return ((b.get(p) & 0xFF) - 128) / 128f;
            case PCM_S16:
                return b.getShort(p) / 32768f;
            case PCM_S24: {
                int v = (b.get(p) & 0xFF) | ((b.get(p + 1) & 0xFF) << 8) | (b.get(p + 2) << 16);
                return v / 8388608f;
            }
            case PCM_S32:
                return (float) (b.getInt(p) / 2147483648.0);
            case FLOAT_32:
                return b.getFloat(p);
            case FLOAT_64:
                return (float) b.getDouble(p);
            default:
                throw new IllegalStateException("WavReader: unhandled encoding " + e);
        }
    }

    private static void readFully(Source ch, ByteBuffer buf, long pos, String name, String field)
            throws IOException {
        buf.position(0);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                throw new WavFormatException(name, field, "file ends at " + ch.size() + " bytes, inside this"
                        + " field (needed " + buf.limit() + " bytes from offset " + pos + ")");
            }
        }
        buf.flip();
    }

    private static String fourcc(ByteBuffer b, int off) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (b.get(off + i) & 0xFF);
        }
        return new String(c);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7F) {
                sb.append(c);
            } else {
                sb.append(String.format(java.util.Locale.ROOT, "\\x%02X", (int) c));
            }
        }
        return sb.toString();
    }

    /** Builder for {@link WavReader}; see the class javadoc for what is checked. */
    public static final class Builder {
        private double maxDurationSeconds = DEFAULT_MAX_DURATION_SECONDS;
        private int maxChannels = DEFAULT_MAX_CHANNELS;

        private Builder() {
        }

        /**
         * @param seconds the longest duration accepted; a longer file raises {@link WavFormatException}
         * @return this builder
         */
        public Builder maxDurationSeconds(double seconds) {
            this.maxDurationSeconds = checkDuration("WavReader.Builder.maxDurationSeconds", seconds);
            return this;
        }

        /**
         * @param channels the most channels accepted, 1 to 65535
         * @return this builder
         */
        public Builder maxChannels(int channels) {
            this.maxChannels = checkChannels("WavReader.Builder.maxChannels", channels);
            return this;
        }

        /** @return the reader */
        public WavReader build() {
            return new WavReader(maxDurationSeconds, maxChannels);
        }
    }

    /** Positional reads from a channel or from memory: all the parser needs of a file. */
    private interface Source {
        long size() throws IOException;

        /** Reads into {@code dst} from byte {@code pos} on; -1 at the end. */
        int read(ByteBuffer dst, long pos) throws IOException;

        static Source of(SeekableByteChannel ch) {
            return new Source() {
                @Override
                public long size() throws IOException {
                    return ch.size();
                }

                @Override
                public int read(ByteBuffer dst, long pos) throws IOException {
                    return ch.position(pos).read(dst);
                }
            };
        }

        static Source of(byte[] bytes) {
            return new Source() {
                @Override
                public long size() {
                    return bytes.length;
                }

                @Override
                public int read(ByteBuffer dst, long pos) {
                    if (pos >= bytes.length) {
                        return -1;
                    }
                    int n = (int) Math.min(dst.remaining(), bytes.length - pos);
                    dst.put(bytes, (int) pos, n);
                    return n;
                }
            };
        }
    }
}
