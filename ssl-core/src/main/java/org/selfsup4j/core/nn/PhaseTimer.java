package org.selfsup4j.core.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Opt-in wall-clock accounting of the phases of a training step (per block type forward and
 * backward, trainer phases), for profiling harnesses. Off by default: then {@link #start()} returns 0
 * after one static read and {@link #stop} returns at once, so the instrumented hot paths pay nothing
 * measurable. Single-threaded use only (the trainer's thread); times of nested phases are not
 * subtracted from their parents, so instrumented code times only its own work.
 *
 * <pre>
 * PhaseTimer.enable(true);
 * ... run steps ...
 * Map&lt;String, long[]&gt; t = PhaseTimer.snapshot();   // key -&gt; {total nanos, calls}
 * </pre>
 */
public final class PhaseTimer {
    private static boolean enabled;
    private static final Map<String, long[]> TOTALS = new LinkedHashMap<>();

    private PhaseTimer() {
    }

    /** Turns accounting on or off (totals are kept; see {@link #reset}). */
    public static void enable(boolean on) {
        enabled = on;
    }

    /** Whether accounting is on. */
    public static boolean enabled() {
        return enabled;
    }

    /** The start mark of a phase: {@link System#nanoTime()} when enabled, else 0. */
    public static long start() {
        return enabled ? System.nanoTime() : 0L;
    }

    /** Adds the time since {@code startMark} to phase {@code key} (no-op when disabled). */
    public static void stop(String key, long startMark) {
        if (!enabled) {
            return;
        }
        long dt = System.nanoTime() - startMark;
        long[] t = TOTALS.computeIfAbsent(key, k -> new long[2]);
        t[0] += dt;
        t[1]++;
    }

    /** Clears all totals. */
    public static void reset() {
        TOTALS.clear();
    }

    /** A copy of the totals: phase key to {@code {total nanoseconds, calls}}, in first-seen order. */
    public static Map<String, long[]> snapshot() {
        Map<String, long[]> copy = new LinkedHashMap<>();
        TOTALS.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }
}
