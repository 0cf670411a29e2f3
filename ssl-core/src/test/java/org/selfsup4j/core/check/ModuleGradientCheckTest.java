package org.selfsup4j.core.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

class ModuleGradientCheckTest {

    /** y = w * x^2 element-wise, with a backward that can be made wrong on purpose. */
    private static final class Square implements Module {
        final Parameter w;
        final double inputGradScale;
        final double weightGradScale;
        INDArray x;

        Square(double inputGradScale, double weightGradScale) {
            this.w = new Parameter("w", ModuleGradientCheck.gaussian(5, 3), false);
            this.inputGradScale = inputGradScale;
            this.weightGradScale = weightGradScale;
        }

        @Override
        public INDArray forward(INDArray input, boolean training) {
            x = input;
            return input.mul(input).mulRowVector(w.value());
        }

        @Override
        public INDArray backward(INDArray g) {
            w.gradient().addi(g.mul(x).mul(x).sum(0).muli(weightGradScale));
            return g.mul(x).mulRowVector(w.value()).muli(2 * inputGradScale);
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(w);
        }
    }

    @Test
    void correctBackward_passes_withErrorsPerParameter() {
        Linear linear = new Linear(4, 3, true, DataType.DOUBLE, new SplittableRandom(1));
        ModuleGradientCheck.Report r = ModuleGradientCheck.check(linear, ModuleGradientCheck.gaussian(2, 5, 4), true);
        assertTrue(r.passes(1e-6), r.toString());
        assertEquals(linear.parameters().size(), r.parameterErrors().size());
        assertTrue(r.inputError() < 1e-6, r.toString());
    }

    @Test
    void wrongInputGradient_isCaught_andNamed() {
        ModuleGradientCheck.Report r = ModuleGradientCheck.check(new Square(1.01, 1), ModuleGradientCheck.gaussian(3, 2, 3),
                true);
        assertTrue(r.inputError() > 1e-3, r.toString());
        assertTrue(r.parameterErrors().get("w") < 1e-6, r.toString());
        assertTrue(!r.passes(1e-3));
    }

    @Test
    void wrongParameterGradient_isCaught_andNamed() {
        ModuleGradientCheck.Report r = ModuleGradientCheck.check(new Square(1, 0.5), ModuleGradientCheck.gaussian(3, 2, 3),
                true);
        assertTrue(r.inputError() < 1e-6, r.toString());
        assertTrue(r.parameterErrors().get("w") > 0.1, r.toString());
        assertEquals(r.parameterErrors().get("w"), r.worst());
    }

    @Test
    void check_leavesInputAndParametersUnchanged() {
        Square m = new Square(1, 1);
        INDArray x = ModuleGradientCheck.gaussian(4, 2, 3);
        INDArray x0 = x.dup();
        INDArray w0 = m.w.value().dup();
        ModuleGradientCheck.check(m, x, true);
        assertTrue(x.equalsWithEps(x0, 0.0));
        assertTrue(m.w.value().equalsWithEps(w0, 0.0));
    }

    @Test
    void float32Input_orParameter_throws_namingIt() {
        Linear linear = new Linear(4, 3, true, DataType.DOUBLE, new SplittableRandom(1));
        var e = assertThrows(IllegalArgumentException.class,
                () -> ModuleGradientCheck.check(linear, ModuleGradientCheck.gaussian(2, 5, 4).castTo(DataType.FLOAT), true));
        assertTrue(e.getMessage().contains("input must be float64, got FLOAT"), e.getMessage());
        Linear f32 = new Linear(4, 3, true, DataType.FLOAT, new SplittableRandom(1));
        e = assertThrows(IllegalArgumentException.class,
                () -> ModuleGradientCheck.check(f32, ModuleGradientCheck.gaussian(2, 5, 4), true));
        assertTrue(e.getMessage().contains("must be float64, got FLOAT"), e.getMessage());
    }
}
