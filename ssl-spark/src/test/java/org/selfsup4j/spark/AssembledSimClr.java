package org.selfsup4j.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.core.nn.NormFactory;
import org.selfsup4j.core.train.Seeds;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.methods.MethodConfig;
import org.selfsup4j.vision.methods.Methods;
import org.selfsup4j.vision.methods.PretrainSetup;

/**
 * The library's own SimCLR assembly ({@code Methods.assemble}: ConvNet backbone, projection head with
 * batch norm, the method's default optimizer) on a tiny float64 ConvNet, as a replica: with
 * {@code sync} every batch norm is a {@link SyncBatchNorm} over the worker's collective (through
 * {@code MethodConfig.withNorm}); without, the library's BatchNorm, the single-process reference.
 *
 * @param sync whether the batch norms are synchronised
 */
record AssembledSimClr(boolean sync) implements ReplicaFactory {
    static final int SIDE = 8;
    static final int BATCH = 12;
    static final long STEPS = 3;

    @Override
    public Replica build(Collective collective) {
        MethodConfig cfg = new MethodConfig(new BackboneSpec(BackboneSpec.Kind.CONVNET, 1, 2, DataType.DOUBLE, 4), SIDE,
                STEPS, 0.05, 8, 4, new Normalize(new float[] {0.5f}, new float[] {0.25f}));
        PretrainSetup s = Methods.assemble("simclr", cfg.withNorm(sync ? SyncBatchNorm.factory(collective)
                : NormFactory.BATCH_NORM));
        return new Replica(s.encoder(), s.objective(), s.optimizer(), 2, false);
    }

    /** Two float64 views of Gaussian 1x8x8 images, a pure function of the step; rank r reads its rows. */
    record Images(long seed) implements ReferenceData {
        @Override
        public List<INDArray> global(long step) {
            SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step));
            double[] a = new double[BATCH * SIDE * SIDE];
            double[] b = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                a[i] = Seeds.gaussian(rng);
                b[i] = a[i] + 0.3 * Seeds.gaussian(rng);
            }
            List<INDArray> views = new ArrayList<>();
            views.add(Nd4j.create(a, new long[] {BATCH, 1, SIDE, SIDE}, 'c'));
            views.add(Nd4j.create(b, new long[] {BATCH, 1, SIDE, SIDE}, 'c'));
            return views;
        }

        @Override
        public List<INDArray> shard(long step, int rank, int workers) {
            int n = BATCH / workers;
            List<INDArray> out = new ArrayList<>();
            for (INDArray v : global(step)) {
                out.add(v.get(NDArrayIndex.interval((long) rank * n, (long) (rank + 1) * n),
                        NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.all()).dup('c'));
            }
            return out;
        }
    }
}
