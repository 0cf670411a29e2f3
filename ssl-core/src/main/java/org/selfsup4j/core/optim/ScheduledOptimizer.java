package org.selfsup4j.core.optim;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.kernel.HostArrays;
import org.selfsup4j.core.nn.Parameter;

/**
 * What {@link Sgd}, {@link Lars} and {@link Adam} share: a learning-rate schedule, per-parameter
 * state slots, and the step loop, which checks the step and the scheduled rate once and then
 * updates each parameter in list order.
 */
abstract class ScheduledOptimizer implements Optimizer {
    private final String name;
    private final LearningRateSchedule schedule;
    private final SlotStore store;

    /**
     * @param name the optimizer's name in messages, e.g. {@code "Adam"}
     * @param schedule the learning-rate schedule (checked by the builder)
     * @param slotNames the state kept per parameter, e.g. {@code "m", "v"}
     */
    ScheduledOptimizer(String name, LearningRateSchedule schedule, String... slotNames) {
        this.name = name;
        this.schedule = schedule;
        this.store = new SlotStore(name, slotNames);
    }

    /**
     * Updates one parameter in place.
     *
     * @param p the parameter, with its gradient accumulated
     * @param slots its state, in the order of the slot names
     * @param lr the learning rate of this step, finite and {@code >= 0}
     * @param step the 0-based step
     */
    abstract void update(Parameter p, INDArray[] slots, double lr, long step);

    /**
     * {@link #update}, then whether the parameter's value and slots are all finite; optimizers whose
     * kernel sees every value it writes answer from the kernel instead of this second pass.
     */
    boolean updateAndCheck(Parameter p, INDArray[] slots, double lr, long step) {
        update(p, slots, lr, step);
        return allFinite(p, slots);
    }

    /** Whether the parameter's value and slots hold only finite values: one pass over each. */
    static boolean allFinite(Parameter p, INDArray[] slots) {
        if (!HostArrays.isFinite(p.value())) {
            return false;
        }
        for (INDArray s : slots) {
            if (!HostArrays.isFinite(s)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public final void step(List<Parameter> parameters, long step) {
        String where = name + ".step";
        double lr = rateAt(where, step);
        for (Parameter p : Checks.notNull(where, "parameters", parameters)) {
            update(p, store.slots(p), lr, step);
        }
    }

    @Override
    public final String stepAndFindNonFinite(List<Parameter> parameters, long step) {
        String where = name + ".stepAndFindNonFinite";
        double lr = rateAt(where, step);
        for (Parameter p : Checks.notNull(where, "parameters", parameters)) {
            if (!updateAndCheck(p, store.slots(p), lr, step)) {
                return p.name();
            }
        }
        return null;
    }

    @Override
    public final double learningRate(long step) {
        return schedule.at(step);
    }

    @Override
    public final Map<String, INDArray> state(List<Parameter> parameters) {
        return store.view(Checks.notNull(name + ".state", "parameters", parameters));
    }

    /** The learning-rate schedule this optimizer was built with. */
    public final LearningRateSchedule schedule() {
        return schedule;
    }

    /** A scratch array of the parameter's shape and type; its contents are undefined between uses. */
    final INDArray scratch(Parameter p) {
        return store.scratch(p);
    }

    /**
     * The schedule's rate at a step. A negative or non-finite rate would silently reverse or wreck
     * training, so it is refused here rather than trusted to every schedule.
     */
    private double rateAt(String where, long step) {
        Checks.nonNegative(where, "step", step);
        double lr = schedule.at(step);
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(where + ": the learning-rate schedule returned " + lr + " at step " + step
                    + ", expected a finite value >= 0");
        }
        return lr;
    }
}
