package org.selfsup4j.core.kernel;

/**
 * Growable heap buffers owned by the calling thread, in numbered slots of a kernel's own table: a
 * kernel keeps its staging arrays between calls (fresh arrays are slow to touch) and never shares
 * them with another thread or another kernel's slots.
 */
final class HeapBuffers {
    private HeapBuffers() {
    }

    /** A table of {@code slots} empty float slots per thread. */
    static ThreadLocal<float[][]> floatSlots(int slots) {
        return ThreadLocal.withInitial(() -> new float[slots][0]);
    }

    /** A table of {@code slots} empty double slots per thread. */
    static ThreadLocal<double[][]> doubleSlots(int slots) {
        return ThreadLocal.withInitial(() -> new double[slots][0]);
    }

    /** Slot {@code which} of this thread's table, grown to at least {@code len} floats (contents kept only if not grown). */
    static float[] floats(ThreadLocal<float[][]> table, int which, int len) {
        float[][] t = table.get();
        if (t[which].length < len) {
            t[which] = new float[len];
        }
        return t[which];
    }

    /** As {@link #floats} for doubles. */
    static double[] doubles(ThreadLocal<double[][]> table, int which, int len) {
        double[][] t = table.get();
        if (t[which].length < len) {
            t[which] = new double[len];
        }
        return t[which];
    }
}
