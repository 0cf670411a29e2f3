package org.selfsup4j.speech.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.selfsup4j.speech.features.Golden;

/** WavReader on files built byte by byte from the RIFF spec, on real FSDD files, and on corrupted files. */
class WavReaderTest {
    private final WavReader reader = WavReader.create();

    // ---- byte-level builders, written from the spec, independent of WavWriter ----

    static byte[] le(int bytes, long v) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) (v >> (8 * i));
        }
        return b;
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A chunk with its true size and a pad byte after an odd body. */
    static byte[] chunk(String id, byte[] body) {
        return cat(ascii(id), le(4, body.length), body, body.length % 2 == 1 ? new byte[1] : new byte[0]);
    }

    static byte[] fmt(int tag, int channels, long rate, int blockAlign, int bits) {
        return chunk("fmt ", cat(le(2, tag), le(2, channels), le(4, rate), le(4, rate * blockAlign),
                le(2, blockAlign), le(2, bits)));
    }

    static byte[] fmtExtensible(int subTag, int channels, long rate, int bits, int validBits) {
        int blockAlign = channels * bits / 8;
        byte[] guid = cat(le(2, subTag), new byte[] {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00,
            0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
        return chunk("fmt ", cat(le(2, 0xFFFE), le(2, channels), le(4, rate), le(4, rate * blockAlign),
                le(2, blockAlign), le(2, bits), le(2, 22), le(2, validBits), le(4, 0x3), guid));
    }

    static byte[] riff(byte[]... chunks) {
        byte[] body = cat(chunks);
        return cat(ascii("RIFF"), le(4, body.length + 4), ascii("WAVE"), body);
    }

    // ---- formats ----

    @Test
    void read_pcm8Unsigned_mapsOffset128ToZero() throws IOException {
        byte[] data = {(byte) 0, (byte) 64, (byte) 128, (byte) 192, (byte) 255};
        Audio a = reader.read(riff(fmt(1, 1, 8000, 1, 8), chunk("data", data)), "u8");
        assertArrayEquals(new float[] {-1f, -0.5f, 0f, 0.5f, 127f / 128}, a.channel(0));
        assertEquals(SampleEncoding.PCM_U8, a.encoding());
    }

    @Test
    void read_pcm16Stereo_deinterleaves() throws IOException {
        byte[] data = cat(le(2, 16384), le(2, -32768), le(2, -1), le(2, 32767));
        Audio a = reader.read(riff(fmt(1, 2, 44100, 4, 16), chunk("data", data)), "s16");
        assertEquals(44100, a.sampleRate());
        assertArrayEquals(new float[] {0.5f, -1f / 32768}, a.channel(0));
        assertArrayEquals(new float[] {-1f, 32767f / 32768}, a.channel(1));
        assertArrayEquals(new float[] {-0.25f, (32767f / 32768 - 1f / 32768) / 2}, a.mixToMono(), 1e-7f);
    }

    @Test
    void read_pcm24ThreeChannels_signExtends() throws IOException {
        byte[] data = cat(le(3, -8388608), le(3, 4194304), le(3, -1));
        Audio a = reader.read(riff(fmt(1, 3, 16000, 9, 24), chunk("data", data)), "s24");
        assertEquals(3, a.numChannels());
        assertEquals(-1f, a.channel(0)[0]);
        assertEquals(0.5f, a.channel(1)[0]);
        assertEquals(-1f / 8388608, a.channel(2)[0]);
    }

    @Test
    void read_pcm32AndFloats_decodeExactly() throws IOException {
        Audio s32 = reader.read(riff(fmt(1, 1, 8000, 4, 32), chunk("data", cat(le(4, 1 << 30), le(4, -(1L << 31))))),
                "s32");
        assertArrayEquals(new float[] {0.5f, -1f}, s32.channel(0));
        ByteBuffer f = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.25f).putFloat(-1.5f);
        Audio f32 = reader.read(riff(fmt(3, 1, 8000, 4, 32), chunk("data", f.array())), "f32");
        assertArrayEquals(new float[] {0.25f, -1.5f}, f32.channel(0));
        ByteBuffer d = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.125);
        Audio f64 = reader.read(riff(fmt(3, 1, 8000, 8, 64), chunk("data", d.array())), "f64");
        assertArrayEquals(new float[] {0.125f}, f64.channel(0));
        assertEquals(SampleEncoding.FLOAT_64, f64.encoding());
    }

    @Test
    void read_extensibleFloatAndPcm_useTheSubFormat() throws IOException {
        ByteBuffer f = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.1f).putFloat(0.2f)
                .putFloat(0.3f).putFloat(0.4f);
        Audio a = reader.read(riff(fmtExtensible(3, 2, 48000, 32, 32), chunk("data", f.array())), "extf");
        assertArrayEquals(new float[] {0.1f, 0.3f}, a.channel(0));
        assertArrayEquals(new float[] {0.2f, 0.4f}, a.channel(1));
        // 20 valid bits in a 24-bit container: the low bits are zero, the scale is the container's.
        Audio p = reader.read(riff(fmtExtensible(1, 1, 96000, 24, 20), chunk("data", le(3, 0x400000))), "ext24");
        assertEquals(0.5f, p.channel(0)[0]);
        assertEquals(SampleEncoding.PCM_S24, p.encoding());
    }

    @Test
    void read_listChunkOddSizeAndDataBeforeFmt_areHandled() throws IOException {
        byte[] list = chunk("LIST", ascii("INFOISFT"));
        byte[] odd = chunk("junk", new byte[] {1, 2, 3}); // odd size: a pad byte follows
        byte[] data = chunk("data", cat(le(2, 8192), le(2, -8192), le(2, 0)));
        Audio a = reader.read(riff(list, odd, data, fmt(1, 1, 8000, 2, 16), chunk("fact", le(4, 3))), "order");
        assertArrayEquals(new float[] {0.25f, -0.25f, 0f}, a.channel(0));
    }

    @Test
    void read_oddSizedDataChunk_dropsPartialFrame() throws IOException {
        byte[] data = cat(le(2, 16384), le(2, 16384), new byte[] {7}); // 5 bytes for 16-bit stereo
        Audio a = reader.read(riff(fmt(1, 2, 8000, 4, 16), chunk("data", data)), "partial");
        assertEquals(1, a.numFrames());
    }

    // ---- values a run cannot trust ----

    static byte[] floats32(float... v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    @Test
    void read_floatWavWithNaNOrInfinity_throwsNamingFileAndSample() {
        float[][] bad = {{0.5f, Float.NaN, 0.1f}, {0.5f, -0.2f, Float.POSITIVE_INFINITY}, {Float.NEGATIVE_INFINITY}};
        for (float[] samples : bad) {
            byte[] wav = riff(fmt(3, 1, 8000, 4, 32), chunk("data", floats32(samples)));
            WavFormatException e = assertThrows(WavFormatException.class, () -> reader.read(wav, "nan.wav"),
                    java.util.Arrays.toString(samples));
            assertEquals("nan.wav", e.source());
            assertEquals("data chunk", e.field());
            assertTrue(e.getMessage().contains("channel 0"), e.getMessage());
        }
    }

    @Test
    void read_float64BeyondFloatRange_throws() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putDouble(0.25).putDouble(1e300);
        WavFormatException e = assertThrows(WavFormatException.class,
                () -> reader.read(riff(fmt(3, 1, 8000, 8, 64), chunk("data", b.array())), "big.wav"));
        assertTrue(e.getMessage().contains("sample 1 of channel 0"), e.getMessage());
    }

    @Test
    void read_zeroLengthAudio_throwsNamingFile() {
        for (byte[] data : new byte[][] {new byte[0], new byte[1]}) {
            byte[] wav = riff(fmt(1, 1, 8000, 2, 16), chunk("data", data));
            WavFormatException e = assertThrows(WavFormatException.class, () -> reader.read(wav, "empty.wav"));
            assertEquals("empty.wav", e.source());
            assertEquals("data chunk size", e.field());
            assertTrue(e.getMessage().contains("no audio"), e.getMessage());
        }
    }

    // ---- corrupted files ----

    @Test
    void read_truncatedFile_throwsNamingRiffSize() throws IOException {
        byte[] full = riff(fmt(1, 1, 8000, 2, 16), chunk("data", new byte[2000]));
        byte[] cut = Arrays.copyOf(full, 1000);
        WavFormatException e = assertThrows(WavFormatException.class, () -> reader.read(cut, "cut.wav"));
        assertEquals("RIFF size", e.field());
        assertEquals("cut.wav", e.source());
        assertTrue(e.getMessage().contains("cut.wav") && e.getMessage().contains("RIFF size"), e.getMessage());
    }

    @Test
    void read_hugeDeclaredDataSize_throwsWithoutAllocating() {
        byte[] ok = riff(fmt(1, 1, 8000, 2, 16), chunk("data", new byte[100]));
        ByteBuffer b = ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(40, 0x7FFFFFF0); // data chunk size: 2 GiB in a 144-byte file
        WavFormatException e = assertThrows(WavFormatException.class, () -> reader.read(ok, "huge.wav"));
        assertEquals("chunk 'data' size", e.field());
        b.putInt(40, 100);
        b.putInt(4, 0xFFFFFFF0); // RIFF size
        e = assertThrows(WavFormatException.class, () -> reader.read(ok, "huge.wav"));
        assertEquals("RIFF size", e.field());
    }

    @Test
    void read_zeroSampleRate_throws() {
        WavFormatException e = assertThrows(WavFormatException.class,
                () -> reader.read(riff(fmt(1, 1, 0, 2, 16), chunk("data", new byte[4])), "zero-rate.wav"));
        assertEquals("sampleRate", e.field());
        assertTrue(e.getMessage().contains("zero-rate.wav"), e.getMessage());
    }

    @Test
    void read_zeroOrTooManyChannels_throws() {
        WavFormatException e = assertThrows(WavFormatException.class,
                () -> reader.read(riff(fmt(1, 0, 8000, 2, 16), chunk("data", new byte[4])), "zc"));
        assertEquals("channels", e.field());
        WavReader strict = WavReader.builder().maxChannels(2).build();
        e = assertThrows(WavFormatException.class,
                () -> strict.read(riff(fmt(1, 3, 8000, 6, 16), chunk("data", new byte[6])), "3ch"));
        assertEquals("channels", e.field());
    }

    @Test
    void read_durationAboveLimit_throws() throws IOException {
        byte[] wav = riff(fmt(1, 1, 8000, 2, 16), chunk("data", new byte[2 * 8000 * 2])); // 2 s
        WavReader limited = WavReader.builder().maxDurationSeconds(1.5).build();
        WavFormatException e = assertThrows(WavFormatException.class, () -> limited.read(wav, "long.wav"));
        assertEquals("data chunk size", e.field());
        assertEquals(16000, reader.read(wav, "long.wav").numFrames());
    }

    @Test
    void read_badHeaders_nameTheField() {
        List<Object[]> cases = List.of(
                new Object[] {"RIFF id", cat(ascii("RIFX"), le(4, 4), ascii("WAVE"))},
                new Object[] {"RIFF form type", cat(ascii("RIFF"), le(4, 4), ascii("AVI "))},
                new Object[] {"RIFF header", ascii("RIFF")},
                new Object[] {"formatTag", riff(fmt(6, 1, 8000, 1, 8), chunk("data", new byte[2]))},
                new Object[] {"bitsPerSample", riff(fmt(1, 1, 8000, 2, 12), chunk("data", new byte[2]))},
                new Object[] {"bitsPerSample", riff(fmt(3, 1, 8000, 2, 16), chunk("data", new byte[2]))},
                new Object[] {"blockAlign", riff(fmt(1, 2, 8000, 2, 16), chunk("data", new byte[4]))},
                new Object[] {"data chunk", riff(fmt(1, 1, 8000, 2, 16))},
                new Object[] {"fmt chunk", riff(chunk("data", new byte[4]))},
                new Object[] {"fmt chunk size", riff(chunk("fmt ", new byte[8]), chunk("data", new byte[4]))},
                new Object[] {"subFormat", riff(fmtExtensible(2, 1, 8000, 16, 16), chunk("data", new byte[2]))},
                new Object[] {"validBitsPerSample", riff(fmtExtensible(1, 1, 8000, 16, 24), chunk("data", new byte[2]))});
        for (Object[] c : cases) {
            WavFormatException e = assertThrows(WavFormatException.class, () -> reader.read((byte[]) c[1], "bad"),
                    "expected a failure on " + c[0]);
            assertEquals(c[0], e.field(), e.getMessage());
        }
        byte[] badGuid = riff(fmtExtensible(1, 1, 8000, 16, 16), chunk("data", new byte[2]));
        badGuid[12 + 8 + 24 + 5] ^= 0x55; // inside the GUID suffix
        WavFormatException e = assertThrows(WavFormatException.class, () -> reader.read(badGuid, "guid"));
        assertEquals("subFormat", e.field());
    }

    // ---- round trip and real files ----

    @Test
    void writerThenReader_roundTripsEveryEncoding(@TempDir Path dir) throws IOException {
        float[][] ch = new float[3][50];
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < 50; t++) {
                ch[c][t] = (float) (0.9 * Math.sin(0.1 * t + c));
            }
        }
        for (SampleEncoding enc : SampleEncoding.values()) {
            for (boolean ext : new boolean[] {false, true}) {
                Path p = dir.resolve(enc + "-" + ext + ".wav");
                new WavWriter(enc, ext).write(p, new Audio(ch, 22050, enc));
                Audio a = reader.read(p);
                assertEquals(enc, a.encoding());
                assertEquals(22050, a.sampleRate());
                double step = enc.isFloat() ? 0 : Math.pow(2, -(enc.bits() - 1));
                for (int c = 0; c < 3; c++) {
                    for (int t = 0; t < 50; t++) {
                        assertEquals(ch[c][t], a.channel(c)[t], step / 2 + 1e-7, enc + " ext=" + ext);
                    }
                }
            }
        }
    }

    @Test
    void writer_clipsOutOfRange() throws IOException {
        byte[] w = new WavWriter(SampleEncoding.PCM_S16).toBytes(Audio.mono(new float[] {2f, -2f, 1f}, 8000));
        assertArrayEquals(new float[] {32767f / 32768, -1f, 32767f / 32768}, reader.read(w, "clip").channel(0));
    }

    @Test
    void read_allFsddRecordings_are8kMono16BitOfPlausibleLength() throws IOException {
        Path rec = Golden.fsddRecordings();
        List<Path> files;
        try (Stream<Path> s = Files.list(rec)) {
            files = s.filter(p -> p.toString().endsWith(".wav")).toList();
        }
        assertEquals(3000, files.size());
        double min = Double.MAX_VALUE;
        double max = 0;
        for (Path p : files) {
            Audio a = reader.read(p);
            assertEquals(8000, a.sampleRate(), p.toString());
            assertEquals(1, a.numChannels(), p.toString());
            assertEquals(SampleEncoding.PCM_S16, a.encoding(), p.toString());
            min = Math.min(min, a.durationSeconds());
            max = Math.max(max, a.durationSeconds());
        }
        // The dataset's README: 0.14 s to 2.28 s.
        assertTrue(min > 0.1 && min < 0.2 && max > 2.2 && max < 2.4, "durations " + min + " .. " + max);
    }

    @Test
    void read_pythonWrittenWav_matchesItsHeader() throws IOException {
        try (var in = Golden.class.getResourceAsStream("synthetic_16k.wav")) {
            Audio a = reader.read(in.readAllBytes(), "synthetic_16k.wav");
            assertEquals(8000, a.numFrames());
            assertEquals(16000, a.sampleRate());
            float peak = 0;
            for (float v : a.channel(0)) {
                peak = Math.max(peak, Math.abs(v));
            }
            assertTrue(peak > 0.3 && peak < 0.7, "peak " + peak);
        }
    }
}
