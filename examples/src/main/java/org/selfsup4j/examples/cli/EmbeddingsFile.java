package org.selfsup4j.examples.cli;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.selfsup4j.examples.UserError;

/**
 * The output of {@code embed}, written row by row as batches come, chosen by the name's ending:
 *
 * <ul>
 *   <li>{@code .csv}: a header {@code file,e0,...,e<dim-1>}, then one line per input, its name then
 *       its values ({@link Float#toString}, which reads back to the same float); a name holding a comma,
 *       quote or line break is quoted as RFC 4180 says.</li>
 *   <li>{@code .npy}: NumPy format 1.0, little-endian float32 ({@code '<f4'}), C order, shape
 *       {@code (rows, dim)}, its header padded with spaces to a multiple of 64 bytes as NumPy writes
 *       it; beside it {@code <name>.files.txt}, the input names one a line in row order.</li>
 * </ul>
 *
 * Written to temporary files beside the targets and moved over them by {@link #close()}, so a failed
 * run leaves no half-written output under the target's name.
 */
final class EmbeddingsFile implements Closeable {
    /** The output kinds, by name ending. */
    enum Format {
        /** Text, one line per input. */
        CSV(".csv"),
        /** NumPy array plus the names file. */
        NPY(".npy");

        final String extension;

        Format(String extension) {
            this.extension = extension;
        }

        /**
         * @param out the {@code --out} file
         * @return its format
         * @throws UserError when its name ends otherwise
         */
        static Format of(Path out) {
            String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
            for (Format f : values()) {
                if (n.endsWith(f.extension)) {
                    return f;
                }
            }
            int dot = n.lastIndexOf('.');
            throw UserError.usage("--out " + out + ": expected a file name ending in .csv or .npy, got "
                    + (dot < 0 ? "no extension" : "'" + n.substring(dot) + "'"));
        }
    }

    /** The suffix of the names file beside a {@code .npy}. */
    static final String NAMES_SUFFIX = ".files.txt";
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};

    private final Format format;
    private final Path out;
    private final int rows;
    private final int dim;
    private final List<Path[]> moves = new ArrayList<>();
    private final BufferedWriter text;
    private final DataOutputStream binary;
    private int written;

    private EmbeddingsFile(Format format, Path out, int rows, int dim) throws IOException {
        this.format = format;
        this.out = out;
        this.rows = rows;
        this.dim = dim;
        // names (the CSV itself, or the .npy's names file) are text; the .npy's values binary
        Path textTarget = format == Format.CSV ? out : out.resolveSibling(out.getFileName() + NAMES_SUFFIX);
        this.text = Files.newBufferedWriter(temporary(textTarget), StandardCharsets.UTF_8);
        if (format == Format.NPY) {
            this.binary = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary(out))));
            binary.write(npyHeader(rows, dim));
        } else {
            this.binary = null;
            StringBuilder h = new StringBuilder("file");
            for (int j = 0; j < dim; j++) {
                h.append(",e").append(j);
            }
            text.write(h.append('\n').toString());
        }
    }

    /**
     * Opens the output for {@code rows} embeddings of {@code dim} values.
     *
     * @param out  the {@code --out} file, {@code .csv} or {@code .npy}; its folder is created
     * @param rows the number of inputs
     * @param dim  the length of each embedding
     * @return the writer
     * @throws UserError when the name ends otherwise
     */
    static EmbeddingsFile open(Path out, int rows, int dim) throws IOException {
        Format f = Format.of(out);
        return new EmbeddingsFile(f, OutFile.createParent(out), rows, dim);
    }

    /** The files this writes: {@code out}, and for {@code .npy} its names file. */
    List<Path> targets() {
        return format == Format.CSV ? List.of(out) : List.of(out, out.resolveSibling(out.getFileName() + NAMES_SUFFIX));
    }

    /**
     * @param name      the input's name (relative to the input folder)
     * @param embedding its embedding, {@code dim} values
     */
    void add(String name, float[] embedding) throws IOException {
        if (embedding.length != dim || written == rows) {
            throw new IllegalStateException("EmbeddingsFile.add: row " + written + " of " + rows + " with "
                    + embedding.length + " values, expected " + dim);
        }
        if (format == Format.CSV) {
            StringBuilder b = new StringBuilder(csvField(name));
            for (float v : embedding) {
                b.append(',').append(v);
            }
            text.write(b.append('\n').toString());
        } else {
            text.write(name + "\n");
            ByteBuffer bb = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(embedding);
            binary.write(bb.array());
        }
        written++;
    }

    /** Finishes the files and moves them over their targets; refuses if fewer rows came than announced. */
    @Override
    public void close() throws IOException {
        text.close();
        if (binary != null) {
            binary.close();
        }
        if (written != rows) {
            for (Path[] m : moves) {
                Files.deleteIfExists(m[0]);
            }
            throw new IllegalStateException("EmbeddingsFile.close: " + written + " rows written of " + rows);
        }
        for (Path[] m : moves) {
            Files.move(m[0], m[1], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private Path temporary(Path target) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        moves.add(new Path[] {tmp, target});
        return tmp;
    }

    /** The NumPy 1.0 preamble: magic, version, header length, the header dict padded to 64 bytes with a final newline. */
    static byte[] npyHeader(int rows, int dim) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + dim + "), }";
        int unpadded = NPY_MAGIC.length + 2 + dict.length() + 1;
        int total = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(total - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NPY_MAGIC).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
