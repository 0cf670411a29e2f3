package org.selfsup4j.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Flatten;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.nn.ReLU;
import org.selfsup4j.core.nn.Sequential;

/** The opt-in profiling: trainer phases, per-block self times through the containers, no effect on results. */
class StepTimesTest {
    private static final long SEED = 5;

    private static Encoder encoder() {
        SplittableRandom r = new SplittableRandom(SEED);
        int in = TwoViewData.SIZE * TwoViewData.SIZE;
        return Encoder.of(new Sequential(new Flatten(), new Linear(in, 16, true, DataType.FLOAT, r), new ReLU(),
                new Sequential(new Linear(16, 8, true, DataType.FLOAT, r))));
    }

    private static Trainer trainer(Encoder encoder) {
        return new Trainer(Trainer.Config.of(SEED, 10), encoder, new MatchingViewsObjective(0.5), new PlainSgd(0.05));
    }

    @Test
    void profiledSteps_reportEveryPhaseAndBlock_andLeaveResultsUnchanged() {
        TwoViewData data = new TwoViewData(4, 8, SEED);
        Encoder plainEncoder = encoder();
        Trainer plain = trainer(plainEncoder);
        Encoder profiledEncoder = encoder();
        Trainer profiled = trainer(profiledEncoder);
        StepTimes times = new StepTimes();
        profiled.setProfiler(times);
        profiledEncoder.observe(times);
        for (long s = 0; s < 2; s++) {
            plain.step(data.views(s), 1);
            profiled.step(data.views(s), 1);
        }
        Map<String, long[]> t = times.snapshot();
        for (StepPhase phase : StepPhase.values()) {
            long[] entry = t.get("step." + phase);
            assertTrue(entry != null, "no time for " + phase + " in " + t.keySet());
            assertEquals(phase == StepPhase.GUARD ? 6 : 2, entry[1], phase + " calls");
        }
        // children of both Sequentials are reported (the root itself is the FORWARD phase)
        assertEquals(4, t.get("Linear.fwd")[1]);
        assertEquals(4, t.get("Linear.bwd")[1]);
        assertEquals(2, t.get("Flatten.fwd")[1]);
        assertEquals(2, t.get("ReLU.bwd")[1]);
        assertEquals(2, t.get("Sequential.fwd")[1]);
        long blocksForward = t.entrySet().stream().filter(e -> e.getKey().endsWith(".fwd"))
                .mapToLong(e -> e.getValue()[0]).sum();
        assertTrue(blocksForward <= t.get("step.FORWARD")[0], "self times add up to at most the forward phase");
        List<Parameter> a = plain.parameters();
        List<Parameter> b = profiled.parameters();
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).value().data().asFloat(), b.get(i).value().data().asFloat(), a.get(i).name());
        }
    }

    @Test
    void detachedProfiler_recordsNothingMore() {
        TwoViewData data = new TwoViewData(4, 8, SEED);
        Encoder enc = encoder();
        Trainer trainer = trainer(enc);
        StepTimes times = new StepTimes();
        trainer.setProfiler(times);
        enc.observe(times);
        trainer.step(data.views(0), 1);
        Map<String, long[]> before = times.snapshot();
        trainer.setProfiler(null);
        enc.observe(null);
        trainer.step(data.views(1), 1);
        Map<String, long[]> after = times.snapshot();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
        times.reset();
        assertTrue(times.snapshot().isEmpty());
    }
}
