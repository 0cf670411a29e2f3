package org.selfsup4j.core.eval;

/** Selection of the k largest entries of a row with a size-k min-heap, O(n log k) worst case. */
final class TopK {
    private TopK() {
    }

    /**
     * Writes the {@code k} largest values of {@code row} and their indices into {@code values} and
     * {@code indices} (in heap order, not sorted). Among equal values the earlier index is kept.
     * NaN entries never enter once the heap is full.
     */
    static void select(double[] row, int k, double[] values, int[] indices) {
        for (int j = 0; j < k; j++) {
            values[j] = row[j];
            indices[j] = j;
        }
        for (int j = k / 2 - 1; j >= 0; j--) {
            siftDown(values, indices, j, k);
        }
        for (int j = k; j < row.length; j++) {
            double v = row[j];
            if (v > values[0]) {
                values[0] = v;
                indices[0] = j;
                siftDown(values, indices, 0, k);
            }
        }
    }

    private static void siftDown(double[] v, int[] idx, int i, int k) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= k) {
                return;
            }
            int r = l + 1;
            int c = r < k && less(v, idx, r, l) ? r : l;
            if (!less(v, idx, c, i)) {
                return;
            }
            double tv = v[i];
            v[i] = v[c];
            v[c] = tv;
            int ti = idx[i];
            idx[i] = idx[c];
            idx[c] = ti;
            i = c;
        }
    }

    /** Heap order: smaller value first; among equal values the later index is evicted first. */
    private static boolean less(double[] v, int[] idx, int a, int b) {
        return v[a] < v[b] || v[a] == v[b] && idx[a] > idx[b];
    }
}
