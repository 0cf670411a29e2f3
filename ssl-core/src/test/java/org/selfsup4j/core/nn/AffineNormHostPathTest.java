package org.selfsup4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link AffineNorm}'s host path ({@code RowNormKernels}) against the libnd4j path it replaced
 * ({@link RowStandardizer} and its affine steps) on the same float32 arrays: output, input gradient and
 * parameter gradients agree within float rounding, in LayerNorm's and GroupNorm's layouts.
 */
class AffineNormHostPathTest {

    @ParameterizedTest(name = "rows [{0}, {1}] in shape [{2}, {3}, {4}]")
    @CsvSource({
        "392, 256, 392, 256, 1", // the speech transformer's layer norm
        "24, 40, 8, 3, 40", // group norm, one channel per group
        "8, 60, 4, 6, 20"}) // group norm, 3 channels in each of 2 groups
    void hostPath_matchesTheLibnd4jPath(int rows, int width, int n, int channels, int spatial) {
        DataType t = DataType.FLOAT;
        long[] shape = spatial == 1 ? new long[] {n, channels} : new long[] {n, channels, spatial};
        Nd4j.getRandom().setSeed(40);
        INDArray x = Nd4j.randn(t, rows, width).muli(3).addi(1);
        INDArray g = Nd4j.randn(t, shape);
        AffineNorm host = new AffineNorm(channels, LayerNorm.DEFAULT_EPS, true, t);
        List<Parameter> params = host.parameters();
        params.get(0).value().addi(Nd4j.randn(t, channels).muli(0.3));
        params.get(1).value().addi(Nd4j.randn(t, channels).muli(0.3));

        INDArray y = host.forward(x, shape).dup();
        INDArray dx = host.backward(g).dup();
        INDArray dw = params.get(0).gradient().dup();
        INDArray db = params.get(1).gradient().dup();

        params.forEach(Parameter::zeroGradient);
        RowStandardizer norm = new RowStandardizer(LayerNorm.DEFAULT_EPS, t);
        INDArray xhat = norm.forward(x).reshape(shape);
        INDArray yRef = Nd4j.create(t, shape);
        RowStandardizer.affine(xhat, params.get(0), params.get(1), yRef);
        INDArray dxhat = Nd4j.create(t, shape);
        int[] sumAxes = spatial == 1 ? new int[] {0} : new int[] {0, 2};
        RowStandardizer.affineBackward(g, xhat, params.get(0), params.get(1), Nd4j.create(t, shape),
                Nd4j.create(t, channels), dxhat, sumAxes);
        INDArray dxRef = norm.backward(dxhat.reshape(rows, width));

        assertClose(yRef, y, 2e-6, "y");
        assertClose(dxRef, dx, 2e-6, "dx");
        // sums over up to 392 rows: float32 rounding grows with their count
        assertClose(params.get(0).gradient(), dw, 1e-5 * Math.sqrt(rows * spatial), "dw");
        assertClose(params.get(1).gradient(), db, 1e-5 * Math.sqrt(rows * spatial), "db");
    }

    private static void assertClose(INDArray expected, INDArray actual, double tol, String what) {
        double[] e = expected.data().asDouble();
        double[] a = actual.data().asDouble();
        assertEquals(e.length, a.length, what + " length");
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol * Math.max(1, Math.abs(e[i])), what + "[" + i + "]");
        }
    }
}
