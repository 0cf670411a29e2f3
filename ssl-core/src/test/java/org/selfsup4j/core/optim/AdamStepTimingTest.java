package org.selfsup4j.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Parameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times one Adam / AdamW / SGD-momentum / LARS step over 10M float32 parameters in a ResNet-like
 * mix of tensor sizes, and logs the medians. Asserts only that the update happened (timing bounds
 * would be flaky on a shared 2-core machine).
 */
class AdamStepTimingTest {
    private static final Logger LOG = LoggerFactory.getLogger(AdamStepTimingTest.class);

    @Test
    void step_tenMillionFloatParameters_logsMedianTime() {
        List<Parameter> ps = new ArrayList<>();
        long total = 0;
        int i = 0;
        // 4 big tensors of 2.36M (3x3x512x512 convs), then small ones incl. no-decay biases.
        while (total < 10_000_000L) {
            long n = i < 4 ? 2_359_296L : Math.min(65_536L, 10_000_000L - total);
            var v = Nd4j.rand(DataType.FLOAT, n).subi(0.5);
            var p = new Parameter("layer" + i + ".weight", v, i % 3 != 2);
            p.gradient().assign(Nd4j.rand(DataType.FLOAT, n).subi(0.5));
            ps.add(p);
            total += n;
            i++;
        }
        assertEquals(10_000_000L, total);
        double before = ps.get(0).value().getDouble(0);
        var lr = new ConstantSchedule(1e-3);
        StringBuilder report = new StringBuilder();
        for (Optimizer opt : List.of(Adam.builder(lr).weightDecay(1e-4).build(), AdamW.builder(lr).build(),
                Sgd.builder(lr).momentum(0.9).nesterov(true).weightDecay(1e-4).build(), Lars.builder(lr).build())) {
            opt.state(ps);
            double[] ms = new double[12];
            for (int k = 0; k < ms.length; k++) {
                long t0 = System.nanoTime();
                opt.step(ps, k);
                ms[k] = (System.nanoTime() - t0) / 1e6;
            }
            double[] timed = Arrays.copyOfRange(ms, 2, ms.length);
            Arrays.sort(timed);
            report.append(String.format(" %s %.1f ms (min %.1f);", opt.getClass().getSimpleName(),
                    timed[timed.length / 2], timed[0]));
        }
        LOG.info("10M float32 parameters in {} tensors, median step:{}", ps.size(), report);
        double after = ps.get(0).value().getDouble(0);
        assertTrue(after != before && Double.isFinite(after), "parameters must move: " + before + " -> " + after);
    }
}
