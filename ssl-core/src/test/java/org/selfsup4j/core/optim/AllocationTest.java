package org.selfsup4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Parameter;

/**
 * Once state exists, steps must not allocate arrays of the parameters' size. ND4J's allocations are not
 * counted by javacpp, but a fresh array lands on fresh pages (off-heap memory is freed only when the
 * GC runs), so the resident set would grow by 4 MiB per allocation per step, 40 MiB over 10 steps.
 * The bound, 16 MiB, leaves room for JIT and thread noise (about 3 MiB measured).
 */
class AllocationTest {

    @Test
    void step_afterStateExists_allocatesNoParameterSizedArrays() {
        int n = 1 << 20; // 4 MiB per float array
        var w = new Parameter("w", Nd4j.rand(DataType.FLOAT, n), true);
        var b = new Parameter("b", Nd4j.rand(DataType.FLOAT, n), false);
        w.gradient().assign(0.5);
        b.gradient().assign(-0.25);
        var lr = new ConstantSchedule(1e-3);
        List<Optimizer> opts = List.of(Adam.builder(lr).weightDecay(0.1).build(), AdamW.builder(lr).build(),
                Sgd.builder(lr).momentum(0.9).nesterov(true).weightDecay(0.1).build(), Lars.builder(lr).build());
        for (Optimizer opt : opts) {
            opt.step(List.of(w, b), 0); // creates state and scratch
            opt.step(List.of(w, b), 1);
            long before = Pointer.physicalBytes();
            for (int k = 2; k < 12; k++) {
                opt.step(List.of(w, b), k);
            }
            long grown = Pointer.physicalBytes() - before;
            assertTrue(grown < 16L << 20, opt.getClass().getSimpleName() + ": resident memory grew by " + grown
                    + " bytes over 10 steps of 2 x 4 MiB parameters");
        }
    }
}
