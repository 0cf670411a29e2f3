package org.selfsup4j.examples;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The examples' {@code results.json}: an indented JSON object, fields in insertion order, written with
 * Jackson. Non-finite numbers (a NaN loss of an empty run) are written as {@code null}, as JSON has no
 * NaN (Jackson's default would be the string {@code "NaN"}).
 */
public final class ResultsFile {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .registerModule(new SimpleModule("finite-or-null")
                    .addSerializer(Double.class, new FiniteOrNull<>())
                    .addSerializer(Float.class, new FiniteOrNull<>()));

    private ResultsFile() {
    }

    /**
     * @param file where to write (replaced)
     * @param results the fields: numbers, strings, booleans, lists and maps of them
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, Map<String, ?> results) throws IOException {
        MAPPER.writeValue(file.toFile(), results);
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
