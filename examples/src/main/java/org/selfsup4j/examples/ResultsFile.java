package org.selfsup4j.examples;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The examples' {@code results.json}: an indented JSON object, fields in insertion order, written with
 * Jackson. Non-finite numbers (a NaN loss of an empty run) are written as {@code null}, as JSON has no
 * NaN (Jackson's default would be the string {@code "NaN"}).
 *
 * <p>Writes are atomic: the text goes to a temporary file beside the target ({@code .<name>.tmp}),
 * which is then renamed over it, so a run killed while writing leaves the previous file whole, never
 * a truncated one.
 */
public final class ResultsFile {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule("finite-or-null")
                    .addSerializer(Double.class, new FiniteOrNull<>())
                    .addSerializer(Float.class, new FiniteOrNull<>()));

    /** Suffix of the temporary file a write goes through; a leftover one is a killed write. */
    public static final String TEMP_SUFFIX = ".tmp";

    private ResultsFile() {
    }

    /**
     * @param file where to write (replaced atomically)
     * @param results the fields: numbers, strings, booleans, lists and maps of them
     * @throws IOException when the file cannot be written; {@code file} is then as it was
     */
    public static void write(Path file, Map<String, ?> results) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + TEMP_SUFFIX);
        boolean moved = false;
        try {
            Files.write(tmp, MAPPER.writeValueAsBytes(results));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** @return {@code results} as the text {@link #write} writes */
    public static String toJson(Map<String, ?> results) throws IOException {
        return MAPPER.writeValueAsString(results);
    }

    /**
     * @param file a file {@link #write} wrote
     * @return its fields, in file order
     * @throws IOException when the file cannot be read or parsed
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) throws IOException {
        return MAPPER.readValue(file.toFile(), LinkedHashMap.class);
    }

    /** Writes a finite number as itself and NaN or an infinity as {@code null}. */
    private static final class FiniteOrNull<T extends Number> extends JsonSerializer<T> {
        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (Double.isFinite(value.doubleValue())) {
                if (value instanceof Float f) {
                    gen.writeNumber(f);
                } else {
                    gen.writeNumber(value.doubleValue());
                }
            } else {
                gen.writeNull();
            }
        }
    }
}
