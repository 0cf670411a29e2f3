package org.selfsup4j.speech.features;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/** Reads the golden files written by make_golden.py: blocks of "# name rows cols" and rows of values. */
public final class Golden {
    private final Map<String, double[][]> blocks;

    private Golden(Map<String, double[][]> blocks) {
        this.blocks = blocks;
    }

    /** @param resource name relative to this package @return the parsed file */
    public static Golden load(String resource) throws IOException {
        try (InputStream in = Golden.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing test resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            Map<String, double[][]> m = new HashMap<>();
            String line;
            while ((line = r.readLine()) != null) {
                String[] h = line.trim().split("\\s+");
                int rows = Integer.parseInt(h[2]);
                int cols = Integer.parseInt(h[3]);
                double[][] a = new double[rows][cols];
                for (int i = 0; i < rows; i++) {
                    String[] v = r.readLine().trim().split("\\s+");
                    for (int j = 0; j < cols; j++) {
                        a[i][j] = Double.parseDouble(v[j]);
                    }
                }
                m.put(h[1], a);
            }
            return new Golden(m);
        }
    }

    /** @param name block name @return its values */
    public double[][] get(String name) {
        double[][] a = blocks.get(name);
        if (a == null) {
            throw new IllegalArgumentException("no golden block " + name + "; have " + blocks.keySet());
        }
        return a;
    }

    /** @return the FSDD recordings folder, or a failed JUnit assumption that says how to provide it */
    public static Path fsddRecordings() {
        String base = System.getProperty("selfsup4j.datasets");
        Path p = base == null ? null : Path.of(base, "fsdd", "recordings");
        Assumptions.assumeTrue(p != null && Files.isDirectory(p),
                "FSDD not found: set -Dselfsup4j.datasets=<folder holding fsdd/recordings> (looked at " + p + ")");
        return p;
    }

    /**
     * @return the largest |expected - actual| over all entries, after checking the shapes agree
     */
    public static double maxAbsDiff(double[][] expected, float[][] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("rows: expected " + expected.length + ", got " + actual.length);
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i].length != actual[i].length) {
                throw new AssertionError("row " + i + " columns: expected " + expected[i].length + ", got "
                        + actual[i].length);
            }
            for (int j = 0; j < expected[i].length; j++) {
                max = Math.max(max, Math.abs(expected[i][j] - actual[i][j]));
            }
        }
        return max;
    }
}
