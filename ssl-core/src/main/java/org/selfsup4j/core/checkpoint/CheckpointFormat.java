package org.selfsup4j.core.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint file format, version 1: self-describing, checksummed, and inert on load (no Java
 * serialization, no class names, nothing is instantiated from the file but primitive arrays).
 *
 * <pre>
 * offset        size  content
 * 0             8     magic 0x89 'S' '4' 'J' 'C' 'K' 'P' 'T'
 * 8             4     format version, uint32 little-endian (= 1)
 * 12            4     header length H in bytes, uint32 little-endian
 * 16            H     header, UTF-8 JSON (below)
 * 16+H          pad   zeros up to a multiple of 64: the data section starts at D = align64(16 + H)
 * D + offset_i  len_i raw little-endian C-order elements of array i; each offset is a multiple of 64,
 *                     arrays follow one another in table order, gaps are zeros
 * D + dataBytes 4     CRC32C of every byte before it, uint32 little-endian
 * ...           4     end marker 'C' 'K' 'P' 'E'
 * </pre>
 *
 * <p>Header: {@code {"format":"selfsup4j-checkpoint","metadata":{"step":"10",...},"arrays":[{"name":"w",
 * "dtype":"FLOAT","shape":[2,3],"offset":0,"bytes":24},...],"dataBytes":24}}. Supported dtypes
 * (ND4J names): DOUBLE, FLOAT, LONG, INT, SHORT, BYTE, UBYTE, BOOL (one byte, 0 or 1).
 *
 * <p>Reading checks, in this order and before building any array: the file length, magic and end
 * marker, the version, the header length against the file length, the checksum over the whole file,
 * then every header value (known dtype, non-negative dimensions whose product and byte size do not
 * overflow and match the declared length, offsets that tile the data section exactly, which must end
 * where the file does). Any failure raises {@link CorruptCheckpointException} naming the file and
 * the problem. A rank-0 empty array ({@code Nd4j.empty}) is stored with shape {@code [0]}.
 *
 * <p>Writing is atomic: the bytes go to a temporary file beside the target (named
 * {@code .<target>.<random>.tmp}), which is forced to disk and renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}; the directory is then forced where the platform allows.
 * A crash leaves either the old file or the new one, plus possibly a stray temporary file.
 */
public final class CheckpointFormat {
    /** Format version this class writes and reads. */
    public static final int VERSION = 1;
    /** Value of the header's {@code format} field. */
    public static final String FORMAT_NAME = "selfsup4j-checkpoint";
    /** Headers longer than this are refused (metadata with a config is a few KiB). */
    public static final int MAX_HEADER_BYTES = 64 << 20;
    /** Largest number of elements in one array (the reader builds it through one Java array). */
    public static final long MAX_ELEMENTS_PER_ARRAY = Integer.MAX_VALUE - 8;
    /** Largest rank accepted. */
    public static final int MAX_RANK = 32;
    /** Suffix of temporary files written before the atomic rename. */
    public static final String TEMP_SUFFIX = ".tmp";

    static final byte[] MAGIC = {(byte) 0x89, 'S', '4', 'J', 'C', 'K', 'P', 'T'};
    static final byte[] END_MARKER = {'C', 'K', 'P', 'E'};
    static final int PREFIX_BYTES = 16;
    static final int TRAILER_BYTES = 8;
    static final int ALIGN = 64;
    private static final int CHUNK = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointFormat.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private CheckpointFormat() {
    }

    /** Element types the format stores, with their sizes in bytes. */
    enum Dtype {
        DOUBLE(DataType.DOUBLE, 8), FLOAT(DataType.FLOAT, 4), LONG(DataType.INT64, 8), INT(DataType.INT32, 4),
        SHORT(DataType.INT16, 2), BYTE(DataType.INT8, 1), UBYTE(DataType.UINT8, 1), BOOL(DataType.BOOL, 1);

        final DataType nd4j;
        final int size;

        Dtype(DataType nd4j, int size) {
            this.nd4j = nd4j;
            this.size = size;
        }

        static Dtype of(DataType t) {
            for (Dtype d : values()) {
                if (d.nd4j == t) {
                    return d;
                }
            }
            return null;
        }

        static Dtype named(String name) {
            for (Dtype d : values()) {
                if (d.name().equals(name)) {
                    return d;
                }
            }
            return null;
        }
    }

    /** One row of the array table, validated. */
    record Entry(String name, Dtype dtype, long[] shape, long elements, long offset, long bytes) {
    }

    // ------------------------------------------------------------------------------------ writing

    /**
     * Writes {@code c} to {@code file} atomically (see the class comment). The parent directory must
     * exist.
     *
     * @throws IllegalArgumentException if an array has an unsupported dtype or more than
     *                                  {@link #MAX_ELEMENTS_PER_ARRAY} elements
     * @throws IOException              if writing, forcing or renaming fails; the target is then untouched
     */
    public static void write(Path file, Checkpoint c) throws IOException {
        if (file == null || c == null) {
            throw new IllegalArgumentException("CheckpointFormat.write: file and checkpoint must not be null");
        }
        List<Entry> table = new ArrayList<>();
        List<INDArray> contiguous = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, INDArray> e : c.arrays().entrySet()) {
            INDArray a = e.getValue();
            Dtype dt = Dtype.of(a.dataType());
            if (dt == null) {
                throw new IllegalArgumentException("CheckpointFormat.write: array '" + e.getKey() + "' has dtype "
                        + a.dataType() + ", expected one of " + Arrays.toString(Dtype.values()));
            }
            long[] shape = a.isEmpty() && a.rank() == 0 ? new long[] {0} : a.shape();
            long n = a.isEmpty() ? 0 : a.length();
            if (n > MAX_ELEMENTS_PER_ARRAY) {
                throw new IllegalArgumentException("CheckpointFormat.write: array '" + e.getKey() + "' has " + n
                        + " elements, at most " + MAX_ELEMENTS_PER_ARRAY + " are supported");
            }
            offset = align(offset);
            table.add(new Entry(e.getKey(), dt, shape, n, offset, n * dt.size));
            offset += n * dt.size;
            // A view's buffer holds more than the view, and f-order must be written as C-order.
            boolean plain = !a.isView() && a.ordering() == 'c' && a.offset() == 0;
            contiguous.add(n == 0 || plain ? a : a.dup('c'));
        }
        long dataBytes = offset;
        byte[] header = headerBytes(c.metadata(), table, dataBytes);
        if (header.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("CheckpointFormat.write: header is " + header.length
                    + " bytes (metadata too large), at most " + MAX_HEADER_BYTES + " are allowed");
        }

        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + TEMP_SUFFIX);
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                Sink sink = new Sink(ch);
                ByteBuffer prefix = ByteBuffer.allocate(PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                prefix.put(MAGIC).putInt(VERSION).putInt(header.length).flip();
                sink.put(prefix);
                sink.put(ByteBuffer.wrap(header));
                sink.zeros(align(PREFIX_BYTES + header.length) - (PREFIX_BYTES + header.length));
                long written = 0;
                for (int i = 0; i < table.size(); i++) {
                    Entry en = table.get(i);
                    sink.zeros(en.offset - written);
                    writeArray(sink, contiguous.get(i), en);
                    written = en.offset + en.bytes;
                }
                sink.flush();
                ByteBuffer trailer = ByteBuffer.allocate(TRAILER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                trailer.putInt((int) sink.crc.getValue()).put(END_MARKER).flip();
                while (trailer.hasRemaining()) {
                    ch.write(trailer);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                LOG.warn("Atomic rename not supported for {}; replacing non-atomically", target);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            forceDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static byte[] headerBytes(Map<String, String> metadata, List<Entry> table, long dataBytes)
            throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT_NAME);
        ObjectNode meta = root.putObject("metadata");
        metadata.forEach(meta::put);
        ArrayNode arrays = root.putArray("arrays");
        for (Entry e : table) {
            ObjectNode a = arrays.addObject();
            a.put("name", e.name);
            a.put("dtype", e.dtype.name());
            ArrayNode shape = a.putArray("shape");
            for (long d : e.shape) {
                shape.add(d);
            }
            a.put("offset", e.offset);
            a.put("bytes", e.bytes);
        }
        root.put("dataBytes", dataBytes);
        return JSON.writeValueAsBytes(root);
    }

    private static void writeArray(Sink sink, INDArray a, Entry e) throws IOException {
        int n = (int) e.elements;
        if (n == 0) {
            return;
        }
        switch (e.dtype) {
            case DOUBLE -> {
                double[] v = a.data().asDouble();
                writeChunks(sink, n, 8, (b, i, m) -> b.asDoubleBuffer().put(v, i, m));
            }
            case FLOAT -> {
                float[] v = a.data().asFloat();
                writeChunks(sink, n, 4, (b, i, m) -> b.asFloatBuffer().put(v, i, m));
            }
            case LONG -> {
                long[] v = a.data().asLong();
                writeChunks(sink, n, 8, (b, i, m) -> b.asLongBuffer().put(v, i, m));
            }
            case INT -> {
                int[] v = a.data().asInt();
                writeChunks(sink, n, 4, (b, i, m) -> b.asIntBuffer().put(v, i, m));
            }
            default -> {
                // Narrow types are rare in checkpoints (masks, flags); go through int[] for simplicity.
                int[] v = a.data().asInt();
                for (int i = 0; i < n; i++) {
                    sink.room(e.dtype.size);
                    if (e.dtype == Dtype.SHORT) {
                        sink.buf.putShort((short) v[i]);
                    } else if (e.dtype == Dtype.BOOL) {
                        sink.buf.put((byte) (v[i] != 0 ? 1 : 0));
                    } else {
                        sink.buf.put((byte) v[i]);
                    }
                }
            }
        }
    }

    /** Copies elements {@code [from, from + count)} between a Java array and a little-endian buffer. */
    @FunctionalInterface
    private interface ChunkCopy {
        void copy(ByteBuffer b, int from, int count);
    }

    /** Writes {@code n} elements of {@code width} bytes through the sink's buffer, a buffer-full at a time. */
    private static void writeChunks(Sink sink, int n, int width, ChunkCopy put) throws IOException {
        for (int i = 0; i < n; ) {
            int m = Math.min(n - i, sink.room(width));
            put.copy(sink.buf, i, m);
            sink.advance(m * width);
            i += m;
        }
    }

    /** Reads {@code n} elements of {@code width} bytes from {@code position}, {@code CHUNK} bytes at a time. */
    private static void readChunks(FileChannel ch, ByteBuffer buf, long position, int n, int width, ChunkCopy get)
            throws IOException {
        int per = CHUNK / width;
        for (int i = 0; i < n; i += per) {
            int m = Math.min(per, n - i);
            get.copy(fill(ch, buf, position + (long) i * width, m * width), i, m);
        }
    }

    /** Buffered, checksummed writes to a channel. */
    private static final class Sink {
        final FileChannel ch;
        final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();

        Sink(FileChannel ch) {
            this.ch = ch;
        }

        /** Makes room for at least one element of {@code size} bytes; returns how many fit. */
        int room(int size) throws IOException {
            if (buf.remaining() < size) {
                flush();
            }
            return buf.remaining() / size;
        }

        void advance(int bytes) {
            buf.position(buf.position() + bytes);
        }

        void put(ByteBuffer src) throws IOException {
            while (src.hasRemaining()) {
                if (!buf.hasRemaining()) {
                    flush();
                }
                int m = Math.min(src.remaining(), buf.remaining());
                ByteBuffer slice = src.slice();
                slice.limit(m);
                buf.put(slice);
                src.position(src.position() + m);
            }
        }

        void zeros(long count) throws IOException {
            for (long i = 0; i < count; i++) {
                if (!buf.hasRemaining()) {
                    flush();
                }
                buf.put((byte) 0);
            }
        }

        void flush() throws IOException {
            buf.flip();
            crc.update(buf.duplicate());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel; the rename is still atomic there.
            LOG.debug("Could not force directory {}: {}", dir, e.toString());
        }
    }

    static long align(long x) {
        return (x + ALIGN - 1) / ALIGN * ALIGN;
    }

    // ------------------------------------------------------------------------------------ reading

    /**
     * Reads and verifies a checkpoint written by {@link #write}. Arrays come back in the order they
     * were written, with their dtype and shape; metadata likewise.
     *
     * @throws CorruptCheckpointException if the file is truncated, altered or not a checkpoint
     * @throws IOException                if it cannot be read
     */
    public static Checkpoint read(Path file) throws IOException {
        Checks.notNull("CheckpointFormat.read", "file", file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long minimum = PREFIX_BYTES + 2 + TRAILER_BYTES;
            if (size < minimum) {
                throw new CorruptCheckpointException(file, "file is " + size + " bytes, shorter than the smallest "
                        + "checkpoint (" + minimum + " bytes): truncated or not a checkpoint");
            }
            ByteBuffer prefix = readFully(ch, 0, PREFIX_BYTES);
            byte[] magic = new byte[MAGIC.length];
            prefix.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptCheckpointException(file, "not a selfsup4j checkpoint: magic bytes are "
                        + hex(magic) + ", expected " + hex(MAGIC));
            }
            ByteBuffer trailer = readFully(ch, size - TRAILER_BYTES, TRAILER_BYTES);
            int storedCrc = trailer.getInt();
            byte[] end = new byte[END_MARKER.length];
            trailer.get(end);
            if (!Arrays.equals(end, END_MARKER)) {
                throw new CorruptCheckpointException(file, "end marker is " + hex(end) + ", expected "
                        + hex(END_MARKER) + ": file truncated or overwritten");
            }
            int version = prefix.getInt();
            if (version != VERSION) {
                throw new CorruptCheckpointException(file, "format version " + Integer.toUnsignedString(version)
                        + ", this reader understands version " + VERSION);
            }
            long headerLength = Integer.toUnsignedLong(prefix.getInt());
            long maxHeader = Math.min(MAX_HEADER_BYTES, size - PREFIX_BYTES - TRAILER_BYTES);
            if (headerLength < 2 || headerLength > maxHeader) {
                throw new CorruptCheckpointException(file, "header length " + headerLength
                        + " is outside [2, " + maxHeader + "] for a file of " + size + " bytes");
            }
            int computedCrc = crc(ch, size - TRAILER_BYTES);
            if (computedCrc != storedCrc) {
                throw new CorruptCheckpointException(file, "checksum mismatch: stored CRC32C "
                        + Integer.toHexString(storedCrc) + ", computed " + Integer.toHexString(computedCrc)
                        + " (file truncated or altered)");
            }
            ByteBuffer headerBuf = readFully(ch, PREFIX_BYTES, (int) headerLength);
            JsonNode root;
            try {
                root = JSON.readTree(headerBuf.array());
            } catch (JsonProcessingException e) {
                throw new CorruptCheckpointException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw new CorruptCheckpointException(file, "header is not valid JSON: " + e.getMessage(), e);
            }
            long dataStart = align(PREFIX_BYTES + headerLength);
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> table = parseHeader(file, root, metadata, size, dataStart);

            Map<String, INDArray> arrays = new LinkedHashMap<>();
            for (Entry e : table) {
                arrays.put(e.name, readArray(ch, dataStart + e.offset, e));
            }
            return new Checkpoint(arrays, metadata);
        }
    }

    private static List<Entry> parseHeader(Path file, JsonNode root, Map<String, String> metadata, long size,
            long dataStart) throws CorruptCheckpointException {
        if (root == null || !root.isObject()) {
            throw new CorruptCheckpointException(file, "header is not a JSON object");
        }
        JsonNode format = root.get("format");
        if (format == null || !format.isTextual() || !FORMAT_NAME.equals(format.textValue())) {
            throw new CorruptCheckpointException(file, "header field 'format' is " + format + ", expected \""
                    + FORMAT_NAME + "\"");
        }
        JsonNode meta = root.get("metadata");
        if (meta == null || !meta.isObject()) {
            throw new CorruptCheckpointException(file, "header field 'metadata' must be an object, got " + meta);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = meta.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().isEmpty() || !f.getValue().isTextual()) {
                throw new CorruptCheckpointException(file, "metadata entry '" + f.getKey()
                        + "' must have a non-empty key and a string value, got " + f.getValue().getNodeType());
            }
            metadata.put(f.getKey(), f.getValue().textValue());
        }
        long dataBytes = nonNegativeLong(file, root.get("dataBytes"), "dataBytes");
        long expectedData = size - TRAILER_BYTES - dataStart;
        if (dataBytes != expectedData) {
            throw new CorruptCheckpointException(file, "header declares " + dataBytes + " data bytes, but the file"
                    + " (" + size + " bytes) holds " + expectedData + " after the header");
        }
        JsonNode arrays = root.get("arrays");
        if (arrays == null || !arrays.isArray()) {
            throw new CorruptCheckpointException(file, "header field 'arrays' must be an array, got " + arrays);
        }
        List<Entry> table = new ArrayList<>();
        Set<String> names = new HashSet<>();
        long expectedOffset = 0;
        for (int i = 0; i < arrays.size(); i++) {
            JsonNode a = arrays.get(i);
            if (!a.isObject()) {
                throw new CorruptCheckpointException(file, "array table entry " + i + " is not an object");
            }
            JsonNode nameNode = a.get("name");
            if (nameNode == null || !nameNode.isTextual() || nameNode.textValue().isEmpty()) {
                throw new CorruptCheckpointException(file, "array table entry " + i + " has no non-empty 'name'");
            }
            String name = nameNode.textValue();
            if (!names.add(name)) {
                throw new CorruptCheckpointException(file, "array name '" + name + "' appears twice");
            }
            String where = "array '" + name + "': ";
            JsonNode dtypeNode = a.get("dtype");
            Dtype dtype = dtypeNode != null && dtypeNode.isTextual() ? Dtype.named(dtypeNode.textValue()) : null;
            if (dtype == null) {
                throw new CorruptCheckpointException(file, where + "unknown dtype " + dtypeNode + ", expected one of "
                        + Arrays.toString(Dtype.values()));
            }
            JsonNode shapeNode = a.get("shape");
            if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() > MAX_RANK) {
                throw new CorruptCheckpointException(file, where + "'shape' must be an array of at most " + MAX_RANK
                        + " dimensions, got " + shapeNode);
            }
            long[] shape = new long[shapeNode.size()];
            long elements = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = nonNegativeLong(file, shapeNode.get(d), where + "shape[" + d + "]");
                try {
                    elements = Math.multiplyExact(elements, shape[d]);
                } catch (ArithmeticException e) {
                    throw new CorruptCheckpointException(file, where + "shape " + shapeNode
                            + " has more elements than a long can count");
                }
            }
            if (elements > MAX_ELEMENTS_PER_ARRAY) {
                throw new CorruptCheckpointException(file, where + "shape " + shapeNode + " has " + elements
                        + " elements, more than the " + MAX_ELEMENTS_PER_ARRAY + " this reader supports");
            }
            long bytes = nonNegativeLong(file, a.get("bytes"), where + "bytes");
            if (bytes != elements * dtype.size) {
                throw new CorruptCheckpointException(file, where + "declares " + bytes + " bytes, but shape "
                        + shapeNode + " of " + dtype + " needs " + elements * dtype.size);
            }
            long offset = nonNegativeLong(file, a.get("offset"), where + "offset");
            expectedOffset = align(expectedOffset);
            if (offset != expectedOffset) {
                throw new CorruptCheckpointException(file, where + "offset " + offset + ", expected " + expectedOffset
                        + " (arrays are stored in table order, 64-byte aligned)");
            }
            if (bytes > dataBytes - offset) {
                throw new CorruptCheckpointException(file, where + bytes + " bytes at offset " + offset
                        + " run past the end of the data section (" + dataBytes + " bytes)");
            }
            expectedOffset = offset + bytes;
            table.add(new Entry(name, dtype, shape, elements, offset, bytes));
        }
        if (expectedOffset != dataBytes) {
            throw new CorruptCheckpointException(file, "arrays end at data offset " + expectedOffset
                    + " but the data section is " + dataBytes + " bytes");
        }
        return table;
    }

    private static long nonNegativeLong(Path file, JsonNode n, String field) throws CorruptCheckpointException {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new CorruptCheckpointException(file, "header field '" + field
                    + "' must be a non-negative integer, got " + n);
        }
        return n.longValue();
    }

    /**
     * Deliberate twins (issue #12): one case per element type, here and in {@link #writeArray}, alike
     * but for the primitive array and its buffer view: Java has no array type over float, double, long
     * and int, and boxing or a per-element call would cost a pass over every element of a checkpoint.
     */
    private static INDArray readArray(FileChannel ch, long position, Entry e) throws IOException {
        int n = (int) e.elements;
        if (n == 0) {
            return Nd4j.create(e.dtype.nd4j, e.shape);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, e.bytes)).order(ByteOrder.LITTLE_ENDIAN);
        switch (e.dtype) {
            case DOUBLE -> {
                double[] v = new double[n];
                readChunks(ch, buf, position, n, 8, (b, i, m) -> b.asDoubleBuffer().get(v, i, m));
                return Nd4j.create(v, e.shape, DataType.DOUBLE);
            }
            case FLOAT -> {
                float[] v = new float[n];
                readChunks(ch, buf, position, n, 4, (b, i, m) -> b.asFloatBuffer().get(v, i, m));
                return Nd4j.create(v, e.shape, DataType.FLOAT);
            }
            case LONG -> {
                long[] v = new long[n];
                readChunks(ch, buf, position, n, 8, (b, i, m) -> b.asLongBuffer().get(v, i, m));
                return Nd4j.create(v, e.shape, DataType.INT64);
            }
            case INT -> {
                int[] v = new int[n];
                readChunks(ch, buf, position, n, 4, (b, i, m) -> b.asIntBuffer().get(v, i, m));
                return Nd4j.create(v, e.shape, DataType.INT32);
            }
            default -> {
                int[] v = new int[n];
                readChunks(ch, buf, position, n, e.dtype.size, (b, i, m) -> {
                    for (int j = 0; j < m; j++) {
                        v[i + j] = switch (e.dtype) {
                            case SHORT -> b.getShort();
                            case UBYTE -> Byte.toUnsignedInt(b.get());
                            default -> b.get();
                        };
                    }
                });
                return Nd4j.create(v, e.shape, DataType.INT32).castTo(e.dtype.nd4j);
            }
        }
    }

    private static ByteBuffer fill(FileChannel ch, ByteBuffer buf, long position, int length) throws IOException {
        buf.clear().limit(length);
        long p = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw new IOException("unexpected end of file at byte " + p + " (file changed while reading?)");
            }
            p += r;
        }
        return buf.flip();
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length) throws IOException {
        return fill(ch, ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN), position, length);
    }

    private static int crc(FileChannel ch, long length) throws IOException {
        CRC32C crc = new CRC32C();
        ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        long p = 0;
        while (p < length) {
            int m = (int) Math.min(CHUNK, length - p);
            fill(ch, buf, p, m);
            crc.update(buf);
            p += m;
        }
        return (int) crc.getValue();
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}
