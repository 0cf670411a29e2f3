package org.selfsup4j.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class CheckpointFormatTest {
    @TempDir
    Path tmp;

    private static Checkpoint sample() {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("w.f32.rank2", Nd4j.createFromArray(new float[][] {{1.5f, -2f, 3f}, {Float.MIN_VALUE, -0f, 7e30f}}));
        arrays.put("b.f64.rank1", Nd4j.createFromArray(1.0 / 3, Math.PI, -1e-300, Double.MAX_VALUE));
        arrays.put("count.i64.scalar", Nd4j.scalar(Long.MAX_VALUE - 5));
        arrays.put("x.f32.scalar", Nd4j.scalar(0.25f));
        arrays.put("idx.i64.rank3", Nd4j.createFromArray(new long[] {1, -2, 3, 4, 5, 6, 7, Long.MIN_VALUE})
                .reshape(2, 2, 2));
        arrays.put("m.f64.rank4", Nd4j.linspace(DataType.DOUBLE, -1.0, 0.01, 120).reshape(2, 3, 4, 5));
        arrays.put("i32", Nd4j.createFromArray(new int[] {Integer.MIN_VALUE, 0, 42}));
        arrays.put("empty.f32", Nd4j.create(DataType.FLOAT, 0, 3));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointMetadata.STEP, "10");
        meta.put(CheckpointMetadata.SEED, "-7");
        meta.put(CheckpointMetadata.CONFIG, "{\"lr\": 0.3, \"name\": \"ünïcødé \\\" quote\"}\n");
        meta.putAll(CheckpointMetadata.provenance());
        return new Checkpoint(arrays, meta);
    }

    private static void assertSameCheckpoint(Checkpoint expected, Checkpoint actual) {
        assertEquals(new ArrayList<>(expected.arrays().keySet()), new ArrayList<>(actual.arrays().keySet()),
                "array names and order");
        assertEquals(new ArrayList<>(expected.metadata().entrySet()), new ArrayList<>(actual.metadata().entrySet()),
                "metadata and order");
        for (String name : expected.arrays().keySet()) {
            INDArray e = expected.arrays().get(name);
            INDArray a = actual.arrays().get(name);
            assertEquals(e.dataType(), a.dataType(), name + " dtype");
            assertArrayEquals(e.shape(), a.shape(), name + " shape");
            if (e.length() > 0) {
                // INT64/INT32 are aliases of constants ND4J deprecated, so no enum switch here.
                if (e.dataType() == DataType.INT64) {
                    assertArrayEquals(e.dup().data().asLong(), a.data().asLong(), name);
                } else if (e.dataType() == DataType.INT32) {
                    assertArrayEquals(e.dup().data().asInt(), a.data().asInt(), name);
                } else {
                    assertArrayEquals(e.dup('c').data().asDouble(), a.data().asDouble(), 0.0, name);
                }
            }
        }
    }

    @Test
    void write_thenRead_roundTripsArraysAndMetadataExactly() throws IOException {
        Checkpoint c = sample();
        Path f = tmp.resolve("a.ckpt");
        CheckpointFormat.write(f, c);
        Checkpoint back = CheckpointFormat.read(f);
        assertSameCheckpoint(c, back);
        assertEquals(0, back.array("x.f32.scalar").rank());
        assertEquals(Long.MAX_VALUE - 5, back.array("count.i64.scalar").getLong(0));
    }

    @Test
    void write_thenRead_arraysLargerThanIoChunk_roundTrip() throws IOException {
        // 2.8 MB and 2.4 MB: several 1 MiB write/read chunks, with element boundaries that do not
        // line up with the chunk boundaries (the header length is odd).
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("big.f32", Nd4j.rand(DataType.FLOAT, 700, 1000));
        arrays.put("big.f64", Nd4j.rand(DataType.DOUBLE, 3, 100_001));
        arrays.put("big.i64", Nd4j.arange(0, 262_147).castTo(DataType.INT64));
        Checkpoint c = new Checkpoint(arrays, Map.of("k", "odd length header!"));
        Path f = tmp.resolve("big.ckpt");
        CheckpointFormat.write(f, c);
        assertSameCheckpoint(c, CheckpointFormat.read(f));
    }

    @Test
    void write_thenRead_emptyMapsRoundTrip() throws IOException {
        Path f = tmp.resolve("empty.ckpt");
        CheckpointFormat.write(f, new Checkpoint(Map.of(), Map.of()));
        Checkpoint back = CheckpointFormat.read(f);
        assertTrue(back.arrays().isEmpty());
        assertTrue(back.metadata().isEmpty());
    }

    @Test
    void write_viewsAndFortranOrder_storedAsLogicalCOrderValues() throws IOException {
        INDArray base = Nd4j.arange(20).castTo(DataType.FLOAT).reshape(4, 5);
        INDArray view = base.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 5));
        INDArray fOrder = base.dup('f');
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("view", view);
        arrays.put("f", fOrder);
        Path f = tmp.resolve("v.ckpt");
        CheckpointFormat.write(f, new Checkpoint(arrays, Map.of()));
        Checkpoint back = CheckpointFormat.read(f);
        assertEquals(view, back.array("view"));
        assertEquals(base, back.array("f"));
        assertEquals(7f, back.array("view").getFloat(0, 0));
    }

    @Test
    void write_narrowTypes_roundTrip() throws IOException {
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("s", Nd4j.create(new int[] {-32768, 5, 32767}, new long[] {3}, DataType.INT32).castTo(DataType.INT16));
        arrays.put("b", Nd4j.create(new int[] {-128, 0, 127}, new long[] {3}, DataType.INT32).castTo(DataType.INT8));
        arrays.put("u", Nd4j.create(new int[] {0, 128, 255}, new long[] {3}, DataType.INT32).castTo(DataType.UINT8));
        arrays.put("z", Nd4j.create(new int[] {1, 0, 1, 1}, new long[] {2, 2}, DataType.INT32).castTo(DataType.BOOL));
        Path f = tmp.resolve("n.ckpt");
        CheckpointFormat.write(f, new Checkpoint(arrays, Map.of()));
        Checkpoint back = CheckpointFormat.read(f);
        for (String k : arrays.keySet()) {
            assertEquals(arrays.get(k).dataType(), back.array(k).dataType(), k);
            assertArrayEquals(arrays.get(k).data().asInt(), back.array(k).data().asInt(), k);
        }
    }

    @Test
    void write_unsupportedDtype_throwsNamingArray() {
        INDArray half = Nd4j.createFromArray(1f, 2f).castTo(DataType.FLOAT16);
        var e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFormat.write(tmp.resolve("h.ckpt"), new Checkpoint(Map.of("h", half), Map.of())));
        assertTrue(e.getMessage().contains("'h'") && e.getMessage().contains("HALF"), e.getMessage());
    }

    @Test
    void write_replacesExistingFileAndLeavesNoTempFile() throws IOException {
        Path f = tmp.resolve("r.ckpt");
        CheckpointFormat.write(f, new Checkpoint(Map.of("a", Nd4j.scalar(1.0)), Map.of("step", "1")));
        CheckpointFormat.write(f, new Checkpoint(Map.of("a", Nd4j.scalar(2.0)), Map.of("step", "2")));
        assertEquals(2.0, CheckpointFormat.read(f).array("a").getDouble(0));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void read_everyTruncation_throwsCorrupt() throws IOException {
        Path f = tmp.resolve("t.ckpt");
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("w", Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}}));
        arrays.put("n", Nd4j.scalar(3L));
        CheckpointFormat.write(f, new Checkpoint(arrays, Map.of("step", "3")));
        byte[] full = Files.readAllBytes(f);
        Path cut = tmp.resolve("cut.ckpt");
        for (int len = 0; len < full.length; len++) {
            Files.write(cut, java.util.Arrays.copyOf(full, len));
            final int l = len;
            var e = assertThrows(CorruptCheckpointException.class, () -> CheckpointFormat.read(cut),
                    "truncated to " + len + " of " + full.length + " bytes");
            assertTrue(e.getMessage().contains(cut.toString()), "message names the file: " + e.getMessage());
            assertEquals(cut, e.file(), "at length " + l);
        }
    }

    @Test
    void read_singleBitFlips_throwCorrupt() throws IOException {
        Path f = tmp.resolve("b.ckpt");
        CheckpointFormat.write(f, sample());
        byte[] full = Files.readAllBytes(f);
        Path bad = tmp.resolve("flip.ckpt");
        Random rnd = new Random(12345);
        List<Integer> positions = new ArrayList<>();
        // Every byte of the fixed prefix and trailer, plus a random sample of the rest.
        for (int i = 0; i < 16; i++) {
            positions.add(i);
            positions.add(full.length - 1 - i);
        }
        for (int i = 0; i < 300; i++) {
            positions.add(rnd.nextInt(full.length));
        }
        for (int pos : positions) {
            byte[] copy = full.clone();
            int bit = rnd.nextInt(8);
            copy[pos] ^= (byte) (1 << bit);
            Files.write(bad, copy);
            assertThrows(CorruptCheckpointException.class, () -> CheckpointFormat.read(bad),
                    "bit " + bit + " of byte " + pos + " flipped");
        }
    }

    @Test
    void read_garbageAndEmptyFiles_throwCorrupt() throws IOException {
        Path g = tmp.resolve("garbage.ckpt");
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        Files.write(g, junk);
        var e = assertThrows(CorruptCheckpointException.class, () -> CheckpointFormat.read(g));
        assertTrue(e.problem().contains("magic"), e.getMessage());
        Files.write(g, new byte[0]);
        assertThrows(CorruptCheckpointException.class, () -> CheckpointFormat.read(g));
        Files.writeString(g, "{\"format\":\"selfsup4j-checkpoint\"}");
        assertThrows(CorruptCheckpointException.class, () -> CheckpointFormat.read(g));
    }

    /** Assembles a file with a valid prefix, padding, trailer and checksum around an arbitrary header. */
    static byte[] forge(String headerJson, int dataBytes) {
        byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
        int dataStart = (int) CheckpointFormat.align(CheckpointFormat.PREFIX_BYTES + header.length);
        int size = dataStart + dataBytes + CheckpointFormat.TRAILER_BYTES;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(CheckpointFormat.MAGIC).putInt(CheckpointFormat.VERSION).putInt(header.length).put(header);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, dataStart + dataBytes);
        b.position(dataStart + dataBytes);
        b.putInt((int) crc.getValue()).put(CheckpointFormat.END_MARKER);
        return b.array();
    }

    private CorruptCheckpointException forgedFails(String header, int dataBytes) throws IOException {
        Path f = tmp.resolve("forged.ckpt");
        Files.write(f, forge(header, dataBytes));
        return assertThrows(CorruptCheckpointException.class, () -> CheckpointFormat.read(f), header);
    }

    @Test
    void forge_validHeader_isReadable() throws IOException {
        // Guards the forging helper itself, so the failures below are due to the header alone.
        Path f = tmp.resolve("ok.ckpt");
        Files.write(f, forge("{\"format\":\"selfsup4j-checkpoint\",\"metadata\":{\"k\":\"v\"},\"arrays\":"
                + "[{\"name\":\"a\",\"dtype\":\"FLOAT\",\"shape\":[2],\"offset\":0,\"bytes\":8}],\"dataBytes\":8}", 8));
        Checkpoint c = CheckpointFormat.read(f);
        assertEquals("v", c.metadata().get("k"));
        assertArrayEquals(new long[] {2}, c.array("a").shape());
    }

    @Test
    void read_headerDeclaringHugeArrayInTinyFile_throwsCorruptQuickly() {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            var e = forgedFails("{\"format\":\"selfsup4j-checkpoint\",\"metadata\":{},\"arrays\":[{\"name\":\"a\","
                    + "\"dtype\":\"DOUBLE\",\"shape\":[100000,100000],\"offset\":0,\"bytes\":80000000000}],"
                    + "\"dataBytes\":8}", 8);
            assertTrue(e.problem().contains("'a'"), e.getMessage());
            forgedFails("{\"format\":\"selfsup4j-checkpoint\",\"metadata\":{},\"arrays\":[{\"name\":\"a\","
                    + "\"dtype\":\"DOUBLE\",\"shape\":[100000,100000],\"offset\":0,\"bytes\":80000000000}],"
                    + "\"dataBytes\":80000000000}", 8);
            forgedFails("{\"format\":\"selfsup4j-checkpoint\",\"metadata\":{},\"arrays\":[{\"name\":\"a\","
                    + "\"dtype\":\"FLOAT\",\"shape\":[4294967296,4294967296,16],\"offset\":0,\"bytes\":0}],"
                    + "\"dataBytes\":8}", 8);
        });
    }

    @Test
    void read_inconsistentHeaders_throwCorrupt() throws IOException {
        String pre = "{\"format\":\"selfsup4j-checkpoint\",\"metadata\":{},\"arrays\":[";
        assertTrue(forgedFails(pre + "{\"name\":\"a\",\"dtype\":\"COMPLEX\",\"shape\":[2],\"offset\":0,\"bytes\":8}],"
                + "\"dataBytes\":8}", 8).problem().contains("dtype"));
        forgedFails(pre + "{\"name\":\"a\",\"dtype\":\"FLOAT\",\"shape\":[-2],\"offset\":0,\"bytes\":8}],"
                + "\"dataBytes\":8}", 8);
        forgedFails(pre + "{\"name\":\"a\",\"dtype\":\"FLOAT\",\"shape\":[2.5],\"offset\":0,\"bytes\":8}],"
                + "\"dataBytes\":8}", 8);
        forgedFails(pre + "{\"name\":\"a\",\"dtype\":\"FLOAT\",\"shape\":[3],\"offset\":0,\"bytes\":8}],"
                + "\"dataBytes\":8}", 8);
        forgedFails(pre + "{\"name\":\"a\",\"dtype\":\"FLOAT\",\"shape\":[2],\"offset\":8,\"bytes\":8}],"
                + "\"dataBytes\":16}", 16);
        forgedFails(pre + "{\"name\":\"a\",\"dtype\":\"FLOAT\",\"shape\":[1],\"offset\":0,\"bytes\":4},"
                + "{\"name\":\"a\",\"dtype\":\"FLOAT\",\"shape\":[1],\"offset\":64,\"bytes\":4}],\"dataBytes\":68}", 68);
        forgedFails(pre + "{\"name\":\"a\",\"dtype\":\"FLOAT\",\"shape\":[1],\"offset\":0,\"bytes\":4}],"
                + "\"dataBytes\":8}", 8);
        forgedFails("{\"format\":\"selfsup4j-checkpoint\",\"metadata\":{\"k\":3},\"arrays\":[],\"dataBytes\":0}", 0);
        forgedFails("{\"format\":\"other\",\"metadata\":{},\"arrays\":[],\"dataBytes\":0}", 0);
        forgedFails("{\"format\":\"selfsup4j-checkpoint\",\"format\":\"selfsup4j-checkpoint\",\"metadata\":{},"
                + "\"arrays\":[],\"dataBytes\":0}", 0);
        forgedFails("{\"format\":\"selfsup4j-checkpoint\",\"metadata\":{},\"arrays\":[],\"dataBytes\":0} []", 0);
        forgedFails("[1, 2]", 0);
        forgedFails("{not json", 0);
    }

    @Test
    void read_unknownVersion_throwsCorruptNamingVersion() throws IOException {
        byte[] b = forge("{\"format\":\"selfsup4j-checkpoint\",\"metadata\":{},\"arrays\":[],\"dataBytes\":0}", 0);
        b[8] = 2;
        Path f = tmp.resolve("v2.ckpt");
        Files.write(f, b);
        var e = assertThrows(CorruptCheckpointException.class, () -> CheckpointFormat.read(f));
        assertTrue(e.problem().contains("version 2"), e.getMessage());
    }

    @Test
    void checkpoint_copiesMapsAndRejectsNulls() {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("b", "1");
        meta.put("a", "2");
        Checkpoint c = new Checkpoint(new LinkedHashMap<>(), meta);
        meta.put("c", "3");
        assertEquals(List.of("b", "a"), new ArrayList<>(c.metadata().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> c.metadata().put("x", "y"));
        Map<String, String> nullValue = new LinkedHashMap<>();
        nullValue.put("k", null);
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(Map.of(), nullValue));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(null, Map.of()));
        var e = assertThrows(IllegalArgumentException.class, () -> c.array("nope"));
        assertTrue(e.getMessage().contains("nope"));
        assertFalse(c.metadata().containsKey("c"));
    }
}
