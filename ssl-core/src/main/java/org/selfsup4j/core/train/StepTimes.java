package org.selfsup4j.core.train;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.ModuleObserver;

/**
 * Wall-clock totals of a training step's phases and of its blocks' forward and backward passes, for
 * profiling harnesses (benchmarks/StepProfile):
 *
 * <pre>
 * StepTimes times = new StepTimes();
 * trainer.setProfiler(times);   // trainer phases: "step.FORWARD", "step.BACKWARD", ...
 * encoder.observe(times);       // per block type: "Conv2d.fwd", "BatchNorm.bwd", ...
 * ... run steps ...
 * Map&lt;String, long[]&gt; t = times.snapshot();   // key -&gt; {total nanos, calls}
 * </pre>
 *
 * <p>A block's time is its <em>self</em> time: a container's children are subtracted from it (a
 * {@code ResidualBlock}'s entry is its residual add and ReLU), so the block entries add up to the
 * forward and backward phases. Single-threaded, like the trainer.
 */
public final class StepTimes implements StepProfiler, ModuleObserver {
    private final Map<String, long[]> totals = new LinkedHashMap<>();
    /** Open block calls: {start nanos, nanos spent in children}. */
    private final Deque<long[]> open = new ArrayDeque<>();

    @Override
    public void phaseTimed(StepPhase phase, long nanos) {
        add("step." + phase, nanos);
    }

    @Override
    public void entering(Module module, boolean backward) {
        open.push(new long[] {System.nanoTime(), 0});
    }

    @Override
    public void left(Module module, boolean backward) {
        long[] call = open.pop();
        long inclusive = System.nanoTime() - call[0];
        add(module.getClass().getSimpleName() + (backward ? ".bwd" : ".fwd"), inclusive - call[1]);
        if (!open.isEmpty()) {
            open.peek()[1] += inclusive;
        }
    }

    private void add(String key, long nanos) {
        long[] t = totals.computeIfAbsent(key, k -> new long[2]);
        t[0] += nanos;
        t[1]++;
    }

    /** Clears all totals. */
    public void reset() {
        totals.clear();
        open.clear();
    }

    /** A copy of the totals: key to {@code {total nanoseconds, calls}}, in first-seen order. */
    public Map<String, long[]> snapshot() {
        Map<String, long[]> copy = new LinkedHashMap<>();
        totals.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }
}
