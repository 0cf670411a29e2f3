package org.selfsup4j.core.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class ForwardingModuleTest {
    private static final DataType D = DataType.DOUBLE;

    /** Forwards everything: what a subclass that overrides nothing sees. */
    private static final class Plain extends ForwardingModule {
        Plain(Module delegate) {
            super(delegate);
        }
    }

    @Test
    void forwardingModule_overridingNothing_isItsDelegateBitForBit() {
        Sequential net = new Sequential(new Linear(3, 4, true, D, new SplittableRandom(5)), new BatchNorm(4, true, D),
                new ReLU());
        Sequential twin = new Sequential(new Linear(3, 4, true, D, new SplittableRandom(5)), new BatchNorm(4, true, D),
                new ReLU());
        Plain plain = new Plain(net);
        assertSame(net.parameters(), plain.parameters(), "the delegate's parameters, not a copy");
        assertEquals(List.copyOf(net.buffers().keySet()), List.copyOf(plain.buffers().keySet()));
        assertSame(net.buffers().get("1.running_mean"), plain.buffers().get("1.running_mean"));

        INDArray x = GradientCheck.randn(6, 6, 3);
        INDArray g = GradientCheck.randn(7, 6, 4);
        assertEquals(twin.forward(x, true), plain.forward(x, true));
        assertEquals(twin.backward(g), plain.backward(g));
        assertEquals(twin.parameters().get(0).gradient(), net.parameters().get(0).gradient());
    }

    @Test
    void forwardingModule_observerReachesTheDelegatesChildren() {
        Plain plain = new Plain(new Sequential(new Linear(2, 2, false, D, new SplittableRandom(1)), new ReLU()));
        List<String> calls = new ArrayList<>();
        plain.observe(new ModuleObserver() {
            @Override
            public void entering(Module module, boolean backward) {
                calls.add(module.getClass().getSimpleName());
            }

            @Override
            public void left(Module module, boolean backward) {
            }
        });
        plain.forward(GradientCheck.randn(2, 3, 2), false);
        assertEquals(List.of("Linear", "ReLU"), calls);
    }

    @Test
    void forwardingModule_nullDelegate_throws() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> new Plain(null));
        assertEquals("delegate", e.getMessage());
    }
}
