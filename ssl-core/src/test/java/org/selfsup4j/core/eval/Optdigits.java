package org.selfsup4j.core.eval;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-only reader of UCI optdigits ({@code optdigits.tra} / {@code optdigits.tes}): 64 pixel counts
 * 0..16 and a label 0..9 per comma-separated line. The library's dataset readers live elsewhere.
 */
final class Optdigits {
    /** Features [N, 64] float32 (raw counts) and labels. */
    record Split(INDArray x, int[] y) {
    }

    private Optdigits() {
    }

    /** The folder from the {@code selfsup4j.datasets} property; skips the test when it is absent. */
    static Path folder() {
        String root = System.getProperty("selfsup4j.datasets");
        Path dir = root == null ? null : Path.of(root, "optdigits");
        assumeTrue(dir != null && Files.isRegularFile(dir.resolve("optdigits.tra"))
                        && Files.isRegularFile(dir.resolve("optdigits.tes")),
                "optdigits not found: set -Dselfsup4j.datasets to the datasets folder holding optdigits/optdigits.tra "
                        + "and optdigits.tes (surefire sets it to ../shared/datasets); got " + dir);
        return dir;
    }

    static Split read(Path file) throws IOException {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(",");
            if (parts.length != 65) {
                throw new IOException(file + ":" + lineNo + ": expected 65 fields, got " + parts.length);
            }
            float[] r = new float[64];
            for (int j = 0; j < 64; j++) {
                r[j] = Integer.parseInt(parts[j].trim());
            }
            int label = Integer.parseInt(parts[64].trim());
            if (label < 0 || label > 9) {
                throw new IOException(file + ":" + lineNo + ": label " + label + " outside 0..9");
            }
            rows.add(r);
            labels.add(label);
        }
        float[][] x = rows.toArray(new float[0][]);
        return new Split(Nd4j.createFromArray(x), labels.stream().mapToInt(Integer::intValue).toArray());
    }
}
