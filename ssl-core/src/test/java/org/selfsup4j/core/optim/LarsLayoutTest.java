package org.selfsup4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.nn.Parameter;

/** LARS computes norms by BLAS on contiguous arrays and by a reduction otherwise: both must agree. */
class LarsLayoutTest {
    private static final double[] W0 = {0.5, -1.25, 2.0, 0.75, -0.3, 1.1};
    private static final double[] G = {0.2, 0.4, -0.6, 0.1, 0.05, -0.3};

    private static double[] run(INDArray value, INDArray gradient) {
        value.assign(Nd4j.createFromArray(W0).reshape(value.shape()));
        gradient.assign(Nd4j.createFromArray(G).reshape(gradient.shape()));
        var p = Parameter.withGradient("w", value, gradient, true);
        var lars = Lars.builder(new ConstantSchedule(0.5)).eta(0.02).weightDecay(0.1).build();
        for (int k = 0; k < 3; k++) {
            lars.step(List.of(p), k);
        }
        return value.dup('c').ravel().toDoubleVector();
    }

    @Test
    void step_offsetAndStridedViews_matchContiguous() {
        double[] contiguous = run(Nd4j.create(DataType.DOUBLE, 2, 3), Nd4j.create(DataType.DOUBLE, 2, 3));

        INDArray flatW = Nd4j.zeros(DataType.DOUBLE, 20);
        INDArray flatG = Nd4j.zeros(DataType.DOUBLE, 20);
        double[] offset = run(flatW.get(NDArrayIndex.interval(7, 13)).reshape('c', 2, 3),
                flatG.get(NDArrayIndex.interval(7, 13)).reshape('c', 2, 3));
        assertEquals(0.0, flatW.getDouble(6), 0.0, "writes stay inside the view");
        assertEquals(0.0, flatW.getDouble(13), 0.0, "writes stay inside the view");

        INDArray bigW = Nd4j.zeros(DataType.DOUBLE, 2, 5);
        INDArray bigG = Nd4j.zeros(DataType.DOUBLE, 2, 5);
        INDArray stridedW = bigW.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4));
        INDArray stridedG = bigG.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 4));
        assertNotEquals(1, stridedW.elementWiseStride(), "the fallback path is what this case is for");
        double[] strided = run(stridedW, stridedG);

        double[] vector = run(Nd4j.create(DataType.DOUBLE, 6), Nd4j.create(DataType.DOUBLE, 6));

        assertArrayEquals(contiguous, offset, 1e-14);
        assertArrayEquals(contiguous, strided, 1e-14);
        assertArrayEquals(contiguous, vector, 1e-14);
        assertNotEquals(W0[0], contiguous[0], "the weights must have moved");
    }

    @Test
    void step_firstStep_matchesTrustRatioWrittenOut() {
        var p = new Parameter("w", Nd4j.createFromArray(W0), true);
        p.gradient().assign(Nd4j.createFromArray(G));
        Lars.builder(new ConstantSchedule(0.5)).eta(0.02).weightDecay(0.1).build().step(List.of(p), 0);
        double wn = 0;
        double gn = 0;
        for (int i = 0; i < 6; i++) {
            wn += W0[i] * W0[i];
            gn += G[i] * G[i];
        }
        double trust = 0.02 * Math.sqrt(wn) / (Math.sqrt(gn) + 0.1 * Math.sqrt(wn));
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) {
            expected[i] = W0[i] - 0.5 * trust * (G[i] + 0.1 * W0[i]); // buf = d on the first step
        }
        assertArrayEquals(expected, p.value().toDoubleVector(), 1e-15);
    }
}
