package org.selfsup4j.core.train;

import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Two-view image data for trainer tests: a fixed set of random 1x12x12 prototypes; each batch
 * picks N of them and makes two views by adding independent noise and a random one-pixel shift.
 * Every draw is a function of (seed, step), as a {@link BatchSource} must be.
 */
final class TwoViewData implements BatchSource {
    static final int SIZE = 12;
    private final INDArray prototypes;
    private final int batch;
    private final long seed;

    TwoViewData(int prototypes, int batch, long seed) {
        this.batch = batch;
        this.seed = seed;
        SplittableRandom r = new SplittableRandom(seed);
        this.prototypes = Nd4j.create(DataType.FLOAT, prototypes, 1, SIZE, SIZE);
        INDArray flat = this.prototypes.reshape(this.prototypes.length());
        for (long i = 0; i < flat.length(); i++) {
            flat.putScalar(i, r.nextGaussian());
        }
    }

    @Override
    public List<INDArray> views(long step) {
        SplittableRandom r = new SplittableRandom(Seeds.mix(seed, step));
        INDArray v1 = Nd4j.create(DataType.FLOAT, batch, 1, SIZE, SIZE);
        INDArray v2 = Nd4j.create(DataType.FLOAT, batch, 1, SIZE, SIZE);
        for (int i = 0; i < batch; i++) {
            int p = r.nextInt((int) prototypes.size(0));
            fillView(v1, i, p, r);
            fillView(v2, i, p, r);
        }
        return List.of(v1, v2);
    }

    private void fillView(INDArray out, int row, int proto, SplittableRandom r) {
        int dy = r.nextInt(3) - 1;
        int dx = r.nextInt(3) - 1;
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int sy = Math.floorMod(y + dy, SIZE);
                int sx = Math.floorMod(x + dx, SIZE);
                double v = prototypes.getDouble(proto, 0, sy, sx) + 0.3 * r.nextGaussian();
                out.putScalar(new long[] {row, 0, y, x}, v);
            }
        }
    }

    @Override
    public long stepsPerEpoch() {
        return 10;
    }
}
