package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.ForwardingModule;
import org.selfsup4j.core.nn.Parameter;

/**
 * One replica's encoder in synchronous data-parallel training, shaped so that an unmodified
 * {@link org.selfsup4j.core.train.Trainer} drives it: the trainer hands it the global batch and
 * gets the global batch's embeddings back, while this replica computes only its own rows.
 *
 * <p>Forward (training mode) on the global input {@code [V * N, ...]} (V views of N samples, view
 * blocks one after another as the trainer concatenates them): take this worker's rows
 * {@code [r * n, (r + 1) * n)} of every view block ({@code n = N / W}), run the local encoder on
 * them, {@link Collective#allGather} the embeddings and return the global {@code [V * N, D]}, rank
 * q's rows in their place. Every worker then evaluates the objective on the same global embeddings
 * (SimCLR's global-batch negatives, VICReg's and Barlow Twins' batch statistics over the global
 * batch), the "gather with gradient" of solo-learn's and lightly's {@code GatherLayer}.
 *
 * <p>Backward on dLoss/dEmbedding of the global batch: back-propagate only this worker's rows through
 * the local encoder, then all-gather every parameter gradient and replace it with the sum over ranks,
 * added in rank order 0, 1, ..., W-1 (so every replica holds the same bits, whatever the task timing).
 * The sum is exactly the gradient of the global loss: the loss is a function of all embeddings, and
 * dLoss/dθ = Σ_rows dLoss/dz_row · dz_row/dθ, the rows split among workers. No rescaling by W: the
 * objective already normalises by the global batch size (unlike averaging per-worker mean losses as
 * in DDP, where each worker's gradient is of its own local loss).
 *
 * <p>Exact only for encoders whose rows are independent given the parameters (no batch statistics):
 * a batch-norm layer in the local encoder normalises with the worker's own rows. Use
 * {@link SyncBatchNorm} there.
 *
 * <p>Evaluation-mode forwards run locally on whatever they are given, without exchange.
 *
 * <p>{@link #backward} returns dLoss/dInput with this worker's rows filled and the other workers' rows
 * zero (those live on the other workers; the trainer discards it anyway).
 */
public final class DistributedEncoder extends ForwardingModule implements Encoder {
    private final Encoder local;
    private final Collective collective;
    private final int views;
    private long exchanges;
    private long[] globalInputShape;
    private long perWorker;
    private INDArray ownInput;
    private INDArray ownGrad;
    private INDArray globalOut;
    private INDArray globalGradIn;
    private List<INDArray> gradients;
    private List<INDArray> carriedShard;
    private List<INDArray> carriedGlobal;

    /**
     * @param local the replica's encoder (the module the objective's EMA copy, if any, follows)
     * @param collective the exchange among workers
     * @param views V, the number of view blocks in each input
     */
    public DistributedEncoder(Encoder local, Collective collective, int views) {
        super(Objects.requireNonNull(local, "local"));
        this.local = local;
        this.collective = Objects.requireNonNull(collective, "collective");
        if (views < 1) {
            throw new IllegalArgumentException("DistributedEncoder: expected at least one view, got " + views);
        }
        this.views = views;
    }

    /**
     * Makes the next training-mode forward carry this worker's input views with its embeddings, in
     * the same all-gather, and fill the other workers' rows of {@code global} with theirs: the
     * objective, called after the forward, then sees the global batch's views without an exchange of
     * their own ({@link ViewExchange}).
     *
     * @param shard this worker's views, each {@code [n, ...]}
     * @param global the global views, each {@code [W * n, ...]}, this worker's rows already in place
     */
    void carryViews(List<INDArray> shard, List<INDArray> global) {
        this.carriedShard = shard;
        this.carriedGlobal = global;
    }

    /** The replica's own encoder. */
    public Encoder local() {
        return local;
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        if (!training) {
            return local.forward(input, false);
        }
        int w = collective.worldSize();
        long rows = input.size(0);
        if (rows % ((long) views * w) != 0) {
            throw new IllegalArgumentException("DistributedEncoder: the input's " + rows + " rows must split into "
                    + views + " views of a global batch divisible by " + w + " workers");
        }
        long global = rows / views;
        long n = global / w;
        globalInputShape = input.shape();
        perWorker = n;
        long[] ownShape = input.shape().clone();
        ownShape[0] = n * views;
        ownInput = reuse(ownInput, input, ownShape);
        for (int v = 0; v < views; v++) {
            ownInput.get(rowBlock(v * n, n)).assign(input.get(rowBlock(v * global + collective.rank() * n, n)));
        }
        INDArray out = local.forward(ownInput, true);
        List<INDArray> sent = new ArrayList<>(List.of(out));
        List<INDArray> parts = new ArrayList<>(List.of(out.ulike()));
        if (carriedShard != null) {
            sent.addAll(carriedShard);
            for (INDArray v : carriedShard) {
                parts.add(v.ulike());
            }
        }
        List<byte[]> all = collective.allGather("embeddings#" + exchanges, ArrayBytes.encode(sent));
        long[] outShape = out.shape().clone();
        outShape[0] = rows;
        globalOut = reuse(globalOut, out, outShape);
        for (int q = 0; q < w; q++) {
            List<INDArray> src = sent;
            if (q != collective.rank()) {
                ArrayBytes.decodeInto(all.get(q), parts);
                src = parts;
                for (int i = 1; i < parts.size(); i++) {
                    long m = parts.get(i).size(0);
                    carriedGlobal.get(i - 1).get(rowBlock(q * m, m)).assign(parts.get(i));
                }
            }
            for (int v = 0; v < views; v++) {
                globalOut.get(rowBlock(v * global + q * n, n)).assign(src.get(0).get(rowBlock(v * n, n)));
            }
        }
        carriedShard = null;
        carriedGlobal = null;
        return globalOut;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        if (globalInputShape == null) {
            throw new IllegalStateException("DistributedEncoder.backward: no training-mode forward preceded it");
        }
        if (gradOutput.size(0) != globalOut.size(0)) {
            throw new IllegalArgumentException("DistributedEncoder.backward: expected " + globalOut.size(0)
                    + " gradient rows (the global batch), got " + gradOutput.size(0));
        }
        long n = perWorker;
        long global = globalInputShape[0] / views;
        int rank = collective.rank();
        long[] ownShape = gradOutput.shape().clone();
        ownShape[0] = n * views;
        ownGrad = reuse(ownGrad, gradOutput, ownShape);
        for (int v = 0; v < views; v++) {
            ownGrad.get(rowBlock(v * n, n)).assign(gradOutput.get(rowBlock(v * global + rank * n, n)));
        }
        INDArray dIn = local.backward(ownGrad);
        sumGradients();
        globalGradIn = reuse(globalGradIn, dIn, globalInputShape);
        globalGradIn.assign(0);
        for (int v = 0; v < views; v++) {
            globalGradIn.get(rowBlock(v * global + rank * n, n)).assign(dIn.get(rowBlock(v * n, n)));
        }
        exchanges++;
        return globalGradIn;
    }

    /** Replaces every parameter gradient by the sum over ranks, in rank order. */
    private void sumGradients() {
        if (gradients == null) {
            gradients = new ArrayList<>();
            for (Parameter p : local.parameters()) {
                gradients.add(p.gradient());
            }
        }
        List<byte[]> all = collective.allGather("gradients#" + exchanges, ArrayBytes.encode(gradients));
        double[] sum = new double[ArrayBytes.values(gradients)];
        for (byte[] payload : all) {
            ArrayBytes.addTo(payload, gradients, sum);
        }
        ArrayBytes.assign(sum, gradients);
    }

    private static org.nd4j.linalg.indexing.INDArrayIndex rowBlock(long start, long n) {
        return NDArrayIndex.interval(start, start + n);
    }

    private static INDArray reuse(INDArray buffer, INDArray like, long[] shape) {
        if (buffer == null || !Arrays.equals(buffer.shape(), shape) || buffer.dataType() != like.dataType()) {
            return Nd4j.create(like.dataType(), shape);
        }
        return buffer;
    }
}
