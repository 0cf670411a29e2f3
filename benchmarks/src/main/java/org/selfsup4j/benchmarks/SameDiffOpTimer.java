package org.selfsup4j.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A SameDiff listener that times every op execution (from the session's pre-execution hook to its
 * post-execution hook, i.e. the native op call with its output allocation) and sums per op type, so
 * that a step's time splits into native op execution per op type and everything else (session
 * bookkeeping, dependency tracking, shape inference before the hook, array handling in Java).
 */
final class SameDiffOpTimer extends BaseListener {
    private final Map<String, long[]> totals = new LinkedHashMap<>();
    private long opStart;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext opContext) {
        opStart = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext opContext,
            INDArray[] outputs) {
        long dt = System.nanoTime() - opStart;
        long[] t = totals.computeIfAbsent(op.getOp().opName(), k -> new long[2]);
        t[0] += dt;
        t[1]++;
    }

    /** Op type to {@code {total nanoseconds, executions}}. */
    Map<String, long[]> totals() {
        return totals;
    }

    void reset() {
        totals.clear();
    }
}
