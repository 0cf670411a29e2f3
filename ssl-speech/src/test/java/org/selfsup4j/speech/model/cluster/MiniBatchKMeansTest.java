package org.selfsup4j.speech.model.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MiniBatchKMeansTest {
    private static final double[][] TRUE_CENTRES = {{0, 0, 0}, {10, 0, 0}, {0, 10, 5}, {-8, -8, 8}};

    private static INDArray blobs(int perBlob, long seed) {
        Random r = new Random(seed);
        double[][] d = new double[perBlob * TRUE_CENTRES.length][3];
        for (int b = 0; b < TRUE_CENTRES.length; b++) {
            for (int i = 0; i < perBlob; i++) {
                for (int f = 0; f < 3; f++) {
                    d[b * perBlob + i][f] = TRUE_CENTRES[b][f] + 0.5 * r.nextGaussian();
                }
            }
        }
        return Nd4j.createFromArray(d);
    }

    @Test
    void fit_recoversSeparatedBlobs() {
        INDArray x = blobs(200, 1);
        KMeansModel m = new MiniBatchKMeans(4, 64, 50, 500, 7).fit(x);
        INDArray c = m.centres();
        for (double[] t : TRUE_CENTRES) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 4; j++) {
                best = Math.min(best, c.getRow(j).sub(Nd4j.createFromArray(t)).norm2Number().doubleValue());
            }
            assertTrue(best < 0.3, "no centre near " + java.util.Arrays.toString(t) + ": " + c);
        }
        int[] ids = m.assign(x);
        for (int b = 0; b < 4; b++) {
            for (int i = 1; i < 200; i++) {
                assertEquals(ids[b * 200], ids[b * 200 + i]);
            }
        }
        // inertia ~ M * D * 0.25 for noise std 0.5
        double inertia = m.inertia(x);
        assertTrue(inertia > 0.8 * 800 * 0.75 && inertia < 1.2 * 800 * 0.75, "inertia " + inertia);
    }

    @Test
    void fit_sameSeed_bitIdenticalCentres_otherSeedDiffers() {
        INDArray x = blobs(100, 2).addi(Nd4j.rand(DataType.DOUBLE, 400, 3).muli(3));
        INDArray a = new MiniBatchKMeans(6, 32, 20, 100, 11).fit(x).centres();
        INDArray b = new MiniBatchKMeans(6, 32, 20, 100, 11).fit(x).centres();
        INDArray c = new MiniBatchKMeans(6, 32, 20, 100, 12).fit(x).centres();
        assertArrayEquals(a.data().asDouble(), b.data().asDouble(), 0.0);
        assertFalse(a.equalsWithEps(c, 1e-9));
    }

    @Test
    void saveLoad_roundTripsCentresAndAssignments(@TempDir Path dir) throws Exception {
        INDArray x = blobs(50, 3);
        KMeansModel m = MiniBatchKMeans.of(4, 5).fit(x);
        Path f = dir.resolve("km.ckpt");
        m.save(f);
        KMeansModel back = KMeansModel.load(f);
        assertArrayEquals(m.centres().data().asDouble(), back.centres().data().asDouble(), 0.0);
        assertArrayEquals(m.assign(x), back.assign(x));
        assertEquals(4, back.k());
        assertEquals(3, back.dimension());
    }

    @Test
    void assign_matchesBruteForceNearestCentre() {
        INDArray x = blobs(20, 4).addi(Nd4j.rand(DataType.DOUBLE, 80, 3).muli(8));
        KMeansModel m = new MiniBatchKMeans(5, 16, 5, 80, 1).fit(x);
        int[] ids = m.assign(x);
        INDArray c = m.centres();
        for (int i = 0; i < 80; i++) {
            int best = 0;
            double bd = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 5; j++) {
                double d = x.getRow(i).sub(c.getRow(j)).norm2Number().doubleValue();
                if (d < bd) {
                    bd = d;
                    best = j;
                }
            }
            assertEquals(best, ids[i]);
        }
    }

    @Test
    void badInput_throws() {
        assertThrows(IllegalArgumentException.class, () -> MiniBatchKMeans.of(10, 1).fit(Nd4j.zeros(DataType.DOUBLE, 5, 2)));
        assertThrows(IllegalArgumentException.class, () -> new MiniBatchKMeans(0, 1, 1, 1, 1));
        KMeansModel m = new KMeansModel(Nd4j.zeros(DataType.DOUBLE, 2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.assign(Nd4j.zeros(DataType.DOUBLE, 4, 2)));
        assertTrue(e.getMessage().contains("KMeansModel.assign"));
    }
}
