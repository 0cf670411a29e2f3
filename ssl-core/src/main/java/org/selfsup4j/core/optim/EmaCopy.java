package org.selfsup4j.core.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.Axpy;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

/**
 * A target network kept as an exponential moving average of an online network (BYOL's target,
 * MoCo's key encoder, DINO's teacher).
 * <pre>
 * target = tau * target + (1 - tau) * online        (every parameter, in place)
 * </pre>
 * Construction copies the online parameters and buffers into the target, so both start equal.
 * Buffers are then handled by an {@link EmaBufferPolicy}; the default, {@link EmaBufferPolicy#KEEP_TARGET},
 * is BYOL's, solo-learn's and MoCo's (the target's batch norm keeps its own running statistics).
 *
 * <p>The arrays are bound at construction: modules must update their parameter and buffer arrays
 * in place (as the {@link Module} contract says), not replace them. Not thread-safe.
 */
public final class EmaCopy {
    private final Module online;
    private final Module target;
    private final EmaBufferPolicy bufferPolicy;
    private final INDArray[] onlineParams;
    private final INDArray[] targetParams;
    private final INDArray[] onlineBuffers;
    private final INDArray[] targetBuffers;
    private final Map<String, INDArray> state;

    /** With {@link EmaBufferPolicy#KEEP_TARGET}. */
    public EmaCopy(Module online, Module target) {
        this(online, target, EmaBufferPolicy.KEEP_TARGET);
    }

    /**
     * @throws IllegalArgumentException if the two modules' parameter or buffer names, shapes or
     *     data types differ, or a parameter and a buffer share a name
     */
    public EmaCopy(Module online, Module target, EmaBufferPolicy bufferPolicy) {
        this.online = Checks.notNull("EmaCopy", "online", online);
        this.target = Checks.notNull("EmaCopy", "target", target);
        this.bufferPolicy = Checks.notNull("EmaCopy", "bufferPolicy", bufferPolicy);
        if (online == target) {
            throw new IllegalArgumentException("EmaCopy: online and target must be different modules, got the same instance");
        }
        Map<String, INDArray> on = new LinkedHashMap<>();
        Map<String, INDArray> tg = new LinkedHashMap<>();
        for (Parameter p : online.parameters()) {
            on.put(p.name(), p.value());
        }
        for (Parameter p : target.parameters()) {
            tg.put(p.name(), p.value());
        }
        List<INDArray[]> params = pair("parameter", on, tg);
        List<INDArray[]> buffers = pair("buffer", online.buffers(), target.buffers());
        onlineParams = params.stream().map(a -> a[0]).toArray(INDArray[]::new);
        targetParams = params.stream().map(a -> a[1]).toArray(INDArray[]::new);
        onlineBuffers = buffers.stream().map(a -> a[0]).toArray(INDArray[]::new);
        targetBuffers = buffers.stream().map(a -> a[1]).toArray(INDArray[]::new);

        Map<String, INDArray> s = new LinkedHashMap<>(tg);
        for (Map.Entry<String, INDArray> e : target.buffers().entrySet()) {
            if (s.put(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("EmaCopy: target has a parameter and a buffer both named " + e.getKey());
            }
        }
        state = Collections.unmodifiableMap(s);

        for (int i = 0; i < targetParams.length; i++) {
            targetParams[i].assign(onlineParams[i]);
        }
        for (int i = 0; i < targetBuffers.length; i++) {
            targetBuffers[i].assign(onlineBuffers[i]);
        }
    }

    private static List<INDArray[]> pair(String kind, Map<String, INDArray> on, Map<String, INDArray> tg) {
        if (!on.keySet().equals(tg.keySet())) {
            TreeSet<String> onlyOnline = new TreeSet<>(on.keySet());
            onlyOnline.removeAll(tg.keySet());
            TreeSet<String> onlyTarget = new TreeSet<>(tg.keySet());
            onlyTarget.removeAll(on.keySet());
            throw new IllegalArgumentException("EmaCopy: online and target must have the same " + kind
                    + " names; only in online: " + onlyOnline + ", only in target: " + onlyTarget);
        }
        List<INDArray[]> out = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : on.entrySet()) {
            INDArray o = e.getValue();
            INDArray t = tg.get(e.getKey());
            if (!Arrays.equals(o.shape(), t.shape()) || o.dataType() != t.dataType()) {
                throw new IllegalArgumentException("EmaCopy: " + kind + " " + e.getKey() + " is "
                        + Arrays.toString(o.shape()) + " " + o.dataType() + " in online but "
                        + Arrays.toString(t.shape()) + " " + t.dataType() + " in target");
            }
            if (o == t) {
                throw new IllegalArgumentException("EmaCopy: " + kind + " " + e.getKey()
                        + " is the same array in online and target; the target needs its own copy");
            }
            out.add(new INDArray[] {o, t});
        }
        return out;
    }

    /**
     * {@code target = tau * target + (1 - tau) * online} for every parameter, and the buffers by the
     * policy; in place, no allocation.
     *
     * @param tau in [0, 1]: 1 freezes the target, 0 copies the online network
     */
    public void update(double tau) {
        Checks.inRange("EmaCopy.update", "tau", tau, 0, 1);
        average(onlineParams, targetParams, tau);
        switch (bufferPolicy) {
            case KEEP_TARGET -> { }
            case COPY -> {
                for (int i = 0; i < targetBuffers.length; i++) {
                    targetBuffers[i].assign(onlineBuffers[i]);
                }
            }
            case EMA -> average(onlineBuffers, targetBuffers, tau);
            default -> throw new IllegalStateException("unhandled " + bufferPolicy);
        }
    }

    /** {@link #update(double)} with the schedule's tau at the given step. */
    public void update(MomentumSchedule schedule, long step) {
        update(Checks.notNull("EmaCopy.update", "schedule", schedule).at(step));
    }

    private static void average(INDArray[] on, INDArray[] tg, double tau) {
        if (tau == 1.0) {
            return;
        }
        for (int i = 0; i < tg.length; i++) {
            if (tau == 0.0) {
                tg[i].assign(on[i]);
            } else {
                tg[i].muli(tau);
                Nd4j.exec(new Axpy(on[i], tg[i], tg[i], 1.0 - tau));
            }
        }
    }

    /**
     * The target's live parameter and buffer arrays, keyed by their names, for checkpoints
     * (restore with {@code assign}).
     */
    public Map<String, INDArray> state() {
        return state;
    }

    /** The online given at construction. */
    public Module online() { return online; }

    /** The target given at construction. */
    public Module target() { return target; }

    /** The bufferPolicy given at construction. */
    public EmaBufferPolicy bufferPolicy() { return bufferPolicy; }
}
