package org.selfsup4j.core.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.blas.Level1;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Limited-memory BFGS (Nocedal and Wright, Numerical Optimization, 2nd ed., Algorithm 7.4/7.5) with a
 * backtracking Armijo line search, for smooth convex objectives in float64. All vectors are flat
 * float64 arrays allocated once per run.
 *
 * <p>Stops when the gradient's largest entry falls below {@code gradientTolerance}, or the relative
 * change of the objective over one step falls below {@code lossTolerance}, or after
 * {@code maxIterations} steps, or when the line search cannot decrease the objective (then
 * {@link Result#converged()} is false unless one of the tolerances also holds).
 */
final class Lbfgs {
    /** Pairs (s, y) kept. */
    static final int MEMORY = 10;
    private static final double ARMIJO = 1e-4;
    private static final int MAX_BACKTRACKS = 50;

    /** An objective: returns f(x) and writes its gradient into {@code gradient}. */
    interface Objective {
        double evaluate(INDArray x, INDArray gradient);
    }

    /** Outcome of a run. */
    record Result(double loss, double gradientMax, int iterations, boolean converged) {
    }

    private Lbfgs() {
    }

    /** Minimises {@code f} starting from {@code x}, which is updated in place to the minimiser found. */
    static Result minimize(Objective f, INDArray x, int maxIterations, double gradientTolerance, double lossTolerance) {
        long p = x.length();
        Level1 blas = Nd4j.getBlasWrapper().level1();
        INDArray g = Nd4j.create(DataType.DOUBLE, p);
        INDArray dir = Nd4j.create(DataType.DOUBLE, p);
        INDArray xNew = Nd4j.create(DataType.DOUBLE, p);
        INDArray gNew = Nd4j.create(DataType.DOUBLE, p);
        INDArray[] s = new INDArray[MEMORY];
        INDArray[] y = new INDArray[MEMORY];
        double[] rho = new double[MEMORY];
        double[] alpha = new double[MEMORY];
        int stored = 0;
        int newest = -1;

        double fx = f.evaluate(x, g);
        double gmax = g.amaxNumber().doubleValue();
        int it = 0;
        while (it < maxIterations) {
            if (gmax < gradientTolerance) {
                return new Result(fx, gmax, it, true);
            }
            // Two-loop recursion: dir = -H g.
            dir.assign(g);
            for (int j = 0; j < stored; j++) {
                int i = Math.floorMod(newest - j, MEMORY);
                alpha[i] = rho[i] * blas.dot(p, 1.0, s[i], dir);
                blas.axpy(p, -alpha[i], y[i], dir);
            }
            if (stored > 0) {
                dir.muli(blas.dot(p, 1.0, s[newest], y[newest]) / blas.dot(p, 1.0, y[newest], y[newest]));
            } else {
                dir.muli(1.0 / Math.max(1.0, g.norm2Number().doubleValue()));
            }
            for (int j = stored - 1; j >= 0; j--) {
                int i = Math.floorMod(newest - j, MEMORY);
                double beta = rho[i] * blas.dot(p, 1.0, y[i], dir);
                blas.axpy(p, alpha[i] - beta, s[i], dir);
            }
            dir.negi();
            double slope = blas.dot(p, 1.0, g, dir);
            if (!(slope < 0)) {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                stored = 0;
                dir.assign(g).negi().muli(1.0 / Math.max(1.0, g.norm2Number().doubleValue()));
                slope = blas.dot(p, 1.0, g, dir);
            }
            double step = 1.0;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int b = 0; b < MAX_BACKTRACKS; b++) {
                xNew.assign(x);
                blas.axpy(p, step, dir, xNew);
                fNew = f.evaluate(xNew, gNew);
                if (fNew <= fx + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            it++;
            if (!accepted) {
                return new Result(fx, gmax, it, false);
            }
            int slot = (newest + 1) % MEMORY;
            if (s[slot] == null) {
                s[slot] = Nd4j.create(DataType.DOUBLE, p);
                y[slot] = Nd4j.create(DataType.DOUBLE, p);
            }
            s[slot].assign(xNew).subi(x);
            y[slot].assign(gNew).subi(g);
            double sy = blas.dot(p, 1.0, s[slot], y[slot]);
            if (sy > 1e-12 * blas.dot(p, 1.0, y[slot], y[slot])) {
                rho[slot] = 1.0 / sy;
                newest = slot;
                stored = Math.min(stored + 1, MEMORY);
            } else {
                // The slot held the oldest pair (when full) and now holds garbage: forget it.
                stored = Math.min(stored, MEMORY - 1);
            }
            x.assign(xNew);
            g.assign(gNew);
            double change = Math.abs(fx - fNew) / Math.max(1.0, Math.max(Math.abs(fx), Math.abs(fNew)));
            fx = fNew;
            gmax = g.amaxNumber().doubleValue();
            if (change < lossTolerance) {
                return new Result(fx, gmax, it, true);
            }
        }
        return new Result(fx, gmax, it, gmax < gradientTolerance);
    }
}
