package org.selfsup4j.core.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The views of a step grouped by shape (and data type), as multi-crop needs: the views of one group
 * are stacked along the batch axis into one input and forwarded together, so batch norm sees one
 * batch per resolution, as SwAV's and DINO's implementations forward each resolution group
 * separately ({@code MultiCropWrapper}: one backbone call per run of equal crop sizes).
 *
 * <p>Each group keeps its buffers across steps (stacked input, a copy of its output, its embedding
 * gradients), allocated once while the views' layout stays the same: hot paths preallocate
 * (STACK-NOTES). A {@link org.selfsup4j.core.nn.Module} remembers only its latest forward, so the
 * groups are forwarded in ascending order of input size: the largest (the global crops) last, whose
 * activations are then live for the first backward; each smaller group is forwarded again right
 * before its own backward (a recomputation, as gradient checkpointing does, costing one more
 * forward of the small crops). Not thread-safe.
 */
final class ViewGroups {
    /** Views of one shape: their indices in the step's order and the group's buffers. */
    static final class Group {
        final long[] viewShape;
        final DataType type;
        final int[] views;
        INDArray input;
        /** The encoder's output for this group: a copy, except for the group forwarded last. */
        INDArray output;
        private INDArray outputCopy;
        INDArray gradient;

        private Group(long[] viewShape, DataType type, int[] views) {
            this.viewShape = viewShape;
            this.type = type;
            this.views = views;
        }

        /** Rows {@code [k n, (k + 1) n)} of {@code a}: the k-th view of this group. */
        INDArray rows(INDArray a, int k, long n) {
            return a.get(NDArrayIndex.interval(k * n, (k + 1) * n));
        }

        /** Stacks this group's views into its reused input buffer. */
        INDArray stack(List<INDArray> all, long n) {
            long[] shape = viewShape.clone();
            shape[0] = n * views.length;
            if (input == null || !Arrays.equals(input.shape(), shape) || input.dataType() != type) {
                input = Nd4j.create(type, shape);
            }
            for (int k = 0; k < views.length; k++) {
                rows(input, k, n).assign(all.get(views[k]));
            }
            return input;
        }

        /** Keeps {@code out} as this group's output, copied into a reused buffer when {@code copy}. */
        void keep(INDArray out, boolean copy) {
            if (!copy) {
                output = out;
                return;
            }
            if (outputCopy == null || !Arrays.equals(outputCopy.shape(), out.shape())
                    || outputCopy.dataType() != out.dataType()) {
                outputCopy = out.ulike();
            }
            output = outputCopy.assign(out);
        }

        /** This group's reused gradient buffer, shaped like its output. */
        INDArray gradientBuffer() {
            if (gradient == null || !Arrays.equals(gradient.shape(), output.shape())
                    || gradient.dataType() != output.dataType()) {
                gradient = output.ulike();
            }
            return gradient;
        }

        /** e.g. {@code "[4, 3, 8, 8] (views 2, 3)"}. */
        String describe(long n) {
            long[] shape = viewShape.clone();
            shape[0] = n;
            StringBuilder s = new StringBuilder(Arrays.toString(shape)).append(views.length > 1 ? " (views " : " (view ");
            for (int k = 0; k < views.length; k++) {
                s.append(k == 0 ? "" : ", ").append(views[k]);
            }
            return s.append(')').toString();
        }
    }

    private List<Group> groups = List.of();

    /**
     * The groups of {@code views}, in forward order (ascending input size, stable), the previous
     * step's (buffers included) when the layout is unchanged.
     *
     * @param views each {@code [N, ...]}, N the same for all
     */
    List<Group> arrange(List<INDArray> views) {
        if (!sameLayout(views)) {
            List<Group> made = new ArrayList<>();
            boolean[] placed = new boolean[views.size()];
            for (int i = 0; i < views.size(); i++) {
                if (placed[i]) {
                    continue;
                }
                List<Integer> members = new ArrayList<>();
                for (int j = i; j < views.size(); j++) {
                    if (!placed[j] && same(views.get(i), views.get(j))) {
                        members.add(j);
                        placed[j] = true;
                    }
                }
                made.add(new Group(views.get(i).shape(), views.get(i).dataType(),
                        members.stream().mapToInt(Integer::intValue).toArray()));
            }
            made.sort(Comparator.comparingLong(g -> Arrays.stream(g.viewShape).reduce(1, (a, b) -> a * b)
                    * g.views.length));
            groups = List.copyOf(made);
        }
        return groups;
    }

    private boolean sameLayout(List<INDArray> views) {
        int count = 0;
        for (Group g : groups) {
            for (int v : g.views) {
                if (v >= views.size() || !Arrays.equals(views.get(v).shape(), g.viewShape)
                        || views.get(v).dataType() != g.type) {
                    return false;
                }
                count++;
            }
        }
        return count == views.size() && !groups.isEmpty();
    }

    private static boolean same(INDArray a, INDArray b) {
        return a.dataType() == b.dataType() && Arrays.equals(a.shape(), b.shape());
    }
}
