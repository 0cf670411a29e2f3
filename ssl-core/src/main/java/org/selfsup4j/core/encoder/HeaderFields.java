package org.selfsup4j.core.encoder;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/**
 * Typed reads of one JSON part of an {@link EncoderHeader} ({@code backbone}, {@code preprocessing})
 * for the modality modules: every failure is a {@link CorruptEncoderFileException} naming the file and
 * the field as {@code part.field}, e.g. {@code "header field 'backbone.width' must be an int, got
 * \"wide\""}.
 *
 * @param file the file the part came from (for messages)
 * @param part the part's name, e.g. {@code "backbone"}
 * @param json the part
 */
public record HeaderFields(Path file, String part, JsonNode json) {

    /** @return the string field {@code name} */
    public String text(String name) throws CorruptEncoderFileException {
        JsonNode n = json.get(name);
        if (n == null || !n.isTextual()) {
            throw bad(name, "a string", n);
        }
        return n.textValue();
    }

    /** @return the int field {@code name} */
    public int integer(String name) throws CorruptEncoderFileException {
        JsonNode n = json.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
            throw bad(name, "an int", n);
        }
        return n.intValue();
    }

    /** @return the int field {@code name}, which must be at least {@code min} */
    public int integer(String name, int min) throws CorruptEncoderFileException {
        int v = integer(name);
        if (v < min) {
            throw bad(name, "an int >= " + min, json.get(name));
        }
        return v;
    }

    /** @return the long field {@code name} */
    public long longInteger(String name) throws CorruptEncoderFileException {
        JsonNode n = json.get(name);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw bad(name, "a long", n);
        }
        return n.longValue();
    }

    /** @return the finite number field {@code name} */
    public double number(String name) throws CorruptEncoderFileException {
        JsonNode n = json.get(name);
        if (n == null || !n.isNumber() || !Double.isFinite(n.doubleValue())) {
            throw bad(name, "a finite number", n);
        }
        return n.doubleValue();
    }

    /** @return the non-empty array of ints {@code name} */
    public int[] ints(String name) throws CorruptEncoderFileException {
        JsonNode n = nonEmptyArray(name, "a non-empty array of ints");
        int[] v = new int[n.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt()) {
                throw bad(name + "[" + i + "]", "an int", e);
            }
            v[i] = e.intValue();
        }
        return v;
    }

    /** @return the non-empty array of finite numbers {@code name}, as floats */
    public float[] floats(String name) throws CorruptEncoderFileException {
        JsonNode n = nonEmptyArray(name, "a non-empty array of numbers");
        float[] v = new float[n.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isNumber() || !Float.isFinite(e.floatValue())) {
                throw bad(name + "[" + i + "]", "a finite number", e);
            }
            v[i] = e.floatValue();
        }
        return v;
    }

    private JsonNode nonEmptyArray(String name, String expected) throws CorruptEncoderFileException {
        JsonNode n = json.get(name);
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw bad(name, expected, n);
        }
        return n;
    }

    /**
     * @param name the field, relative to the part
     * @param problem what is wrong with it
     * @return the exception to throw, naming file and {@code part.name}
     */
    public CorruptEncoderFileException invalid(String name, String problem) {
        return new CorruptEncoderFileException(file, "header field '" + part + "." + name + "' " + problem);
    }

    private CorruptEncoderFileException bad(String name, String expected, JsonNode got) {
        return invalid(name, "must be " + expected + ", got " + (got == null ? "nothing" : got.toString()));
    }
}
