package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.selfsup4j.losses.LossTesting.assertClose;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class MultiCropNtXentLossTest {

    private static List<INDArray> crops(DataType type, int v, int n, int d, long seed) {
        List<INDArray> out = new ArrayList<>();
        for (int c = 0; c < v; c++) {
            out.add(LossTesting.randn(seed + c, type, n, d));
        }
        return out;
    }

    /** solo-learn's simclr_loss_func written out with plain loops: -mean_r log(pos_r / (pos_r + neg_r)). */
    private static double soloLearnReference(List<INDArray> crops, double tau) {
        int v = crops.size();
        int n = (int) crops.get(0).size(0);
        int d = (int) crops.get(0).size(1);
        int m = v * n;
        double[][] u = new double[m][d];
        for (int r = 0; r < m; r++) {
            double norm = 0;
            for (int k = 0; k < d; k++) {
                u[r][k] = crops.get(r / n).getDouble(r % n, k);
                norm += u[r][k] * u[r][k];
            }
            for (int k = 0; k < d; k++) {
                u[r][k] /= Math.sqrt(norm);
            }
        }
        double loss = 0;
        for (int r = 0; r < m; r++) {
            double pos = 0;
            double neg = 0;
            for (int c = 0; c < m; c++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += u[r][k] * u[c][k];
                }
                double e = Math.exp(s / tau);
                if (c == r) {
                    continue;
                }
                if (c % n == r % n) {
                    pos += e;
                } else {
                    neg += e;
                }
            }
            loss -= Math.log(pos / (pos + neg));
        }
        return loss / m;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void twoCrops_equalNtXentLossInValueAndGradient(DataType type) {
        double tol = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        List<INDArray> z = crops(type, 2, 16, 5, 11);
        LossResult multi = new MultiCropNtXentLoss(0.3).compute(z);
        LossResult two = new NtXentLoss(0.3).compute(z.get(0), z.get(1));
        assertEquals(type, multi.gradient(0).dataType());
        assertEquals(two.value(), multi.value(), tol);
        assertClose(two.gradient(0), multi.gradient(0), tol, "dz0");
        assertClose(two.gradient(1), multi.gradient(1), tol, "dz1");
    }

    @Test
    void fourCrops_valueIsSoloLearnsAllCropsFormula() {
        List<INDArray> z = crops(DataType.DOUBLE, 4, 5, 3, 7);
        assertEquals(soloLearnReference(z, 0.2), new MultiCropNtXentLoss(0.2).compute(z).value(), 1e-12);
    }

    @Test
    void cropTerms_averageToTheValue_andSeparateTheCrops() {
        List<INDArray> z = crops(DataType.DOUBLE, 4, 5, 3, 17);
        LossResult r = new MultiCropNtXentLoss(0.3).compute(z);
        double mean = 0;
        for (int c = 0; c < 4; c++) {
            mean += r.terms().get(MultiCropNtXentLoss.cropTerm(c)) / 4;
        }
        assertEquals(r.value(), mean, 1e-12);
        assertTrue(!r.terms().get(MultiCropNtXentLoss.cropTerm(0)).equals(r.terms().get(MultiCropNtXentLoss.cropTerm(3))));
    }

    @Test
    void smallTemperature_perRowShiftPath_matchesReferenceAndStaysFinite() {
        // 1/tau = 500 > 300: the float64 path shifts each row by its maximum
        List<INDArray> z = crops(DataType.DOUBLE, 3, 4, 3, 21);
        double tau = 0.002;
        LossResult r = new MultiCropNtXentLoss(tau).compute(z);
        assertTrue(Double.isFinite(r.value()), "value " + r.value());
        for (int c = 0; c < 3; c++) {
            assertTrue(LossTesting.allFinite(r.gradient(c)), "gradient " + c);
        }
        // the reference overflows exp at this temperature; compare at a shifted but equivalent scale
        double small = new MultiCropNtXentLoss(0.02).compute(z).value();
        assertEquals(soloLearnReference(z, 0.02), small, 1e-10);
    }

    @Test
    void gradients_matchFiniteDifferences_withLocalCrops() {
        List<INDArray> z = crops(DataType.DOUBLE, 4, 4, 3, 5);
        MultiCropNtXentLoss loss = new MultiCropNtXentLoss(0.4);
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(Arrays.asList(a)), 1e-6,
                z.toArray(new INDArray[0]));
    }

    @Test
    void gradients_matchFiniteDifferences_onThePerRowShiftPath() {
        List<INDArray> z = crops(DataType.DOUBLE, 3, 3, 4, 9);
        MultiCropNtXentLoss loss = new MultiCropNtXentLoss(1.0 / 400);
        LossTesting.assertGradientsMatchFiniteDifferences(a -> loss.compute(Arrays.asList(a)), 1e-5,
                z.toArray(new INDArray[0]));
    }

    @Test
    void identicalRows_giveTheChanceLoss() {
        List<INDArray> z = new ArrayList<>();
        INDArray same = LossTesting.randn(1, DataType.DOUBLE, 1, 4).repeat(0, 6);
        for (int c = 0; c < 5; c++) {
            z.add(same.dup());
        }
        assertEquals(MultiCropNtXentLoss.chanceLoss(6, 5), new MultiCropNtXentLoss(0.5).compute(z).value(), 1e-12);
        assertEquals(Math.log(2 * 6 - 1), MultiCropNtXentLoss.chanceLoss(6, 2), 1e-15);
    }

    @Test
    void repeatedCalls_reuseBuffersAndGiveTheSameResult() {
        List<INDArray> z = crops(DataType.DOUBLE, 3, 4, 3, 2);
        MultiCropNtXentLoss loss = new MultiCropNtXentLoss(0.5);
        double first = loss.compute(z).value();
        INDArray g = loss.compute(crops(DataType.DOUBLE, 3, 4, 3, 40)).gradient(1).dup();
        assertEquals(first, loss.compute(z).value(), 0.0);
        assertTrue(!g.equals(loss.compute(z).gradient(1)), "a different batch has a different gradient");
    }

    @Test
    void mismatchedCrop_isRejectedNamingIt() {
        List<INDArray> z = crops(DataType.DOUBLE, 2, 4, 3, 1);
        z.add(LossTesting.randn(9, DataType.DOUBLE, 4, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MultiCropNtXentLoss(0.5).compute(z));
        assertTrue(e.getMessage().contains("crop 2"), e.getMessage());
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> new MultiCropNtXentLoss(0.5).compute(crops(DataType.DOUBLE, 1, 4, 3, 1)));
        assertTrue(one.getMessage().contains("at least 2 crops, got 1"), one.getMessage());
    }
}
