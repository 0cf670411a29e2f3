package org.selfsup4j.core.train;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.kernel.HostArrays;

/**
 * The collapse metric of SimSiam (Chen and He 2021) and solo-learn: the standard deviation over the
 * batch of L2-normalized embeddings, averaged over dimensions. A collapsed encoder (every input
 * mapped to one point) gives 0; outputs spread over the sphere give about {@code 1/sqrt(D)}.
 *
 * <pre>
 * u_i = z_i / (||z_i|| + 1e-12)
 * std = (1/D) sum_d sqrt( sum_i (u_id - mean_i u_id)^2 / (N - 1) )
 * </pre>
 * Computed in double. Dense host arrays take one Java pass (the trainer calls this every step, and
 * the seven ND4J ops of the general path cost more than the arithmetic on small batches).
 */
public final class CollapseMonitor {
    private CollapseMonitor() {
    }

    /** @param embeddings {@code [N, D]} (other ranks are flattened to {@code [N, -1]}), N &gt;= 2 */
    public static double embeddingStd(INDArray embeddings) {
        if (embeddings.rank() < 2 || embeddings.size(0) < 2) {
            throw new IllegalArgumentException("CollapseMonitor.embeddingStd: expected [N >= 2, D], got "
                    + java.util.Arrays.toString(embeddings.shape()));
        }
        long n = embeddings.size(0);
        long d = embeddings.length() / n;
        if (HostArrays.dense(embeddings.dataType(), embeddings) && n * d <= Integer.MAX_VALUE / 2) {
            return host(embeddings, (int) n, (int) d);
        }
        return nd4j(embeddings);
    }

    /** The ND4J formulation, for arrays the host pass does not take; package-private for tests. */
    static double nd4j(INDArray embeddings) {
        INDArray flat = embeddings.reshape(embeddings.size(0), -1);
        // a private float64 copy: the caller's array must not be normalized in place
        INDArray z = flat.dataType() == DataType.DOUBLE ? flat.dup() : flat.castTo(DataType.DOUBLE);
        INDArray norms = z.norm2(1).reshape(z.size(0), 1).addi(1e-12);
        INDArray u = z.divi(norms);
        return u.std(true, 0).meanNumber().doubleValue();
    }

    private static double host(INDArray embeddings, int n, int d) {
        double[] u = new double[n * d];
        int a0 = HostArrays.start(embeddings);
        if (embeddings.dataType() == DataType.FLOAT) {
            FloatBuffer b = HostArrays.floats(embeddings);
            for (int i = 0; i < n * d; i++) {
                u[i] = b.get(a0 + i);
            }
        } else {
            DoubleBuffer b = HostArrays.doubles(embeddings);
            b.get(a0, u, 0, n * d);
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int k = i * d; k < (i + 1) * d; k++) {
                sq += u[k] * u[k];
            }
            double inv = 1.0 / (Math.sqrt(sq) + 1e-12);
            for (int j = 0, k = i * d; j < d; j++, k++) {
                u[k] *= inv;
                mean[j] += u[k];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        double[] var = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0, k = i * d; j < d; j++, k++) {
                double c = u[k] - mean[j];
                var[j] += c * c;
            }
        }
        double sum = 0;
        for (int j = 0; j < d; j++) {
            sum += Math.sqrt(var[j] / (n - 1));
        }
        return sum / d;
    }
}
