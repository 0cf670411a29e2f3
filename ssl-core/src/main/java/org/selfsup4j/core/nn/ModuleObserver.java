package org.selfsup4j.core.nn;

/**
 * Told by container modules when each child's forward or backward starts and ends, as PyTorch's
 * module hooks: the way a profiler times a network by block type without any timing code in the
 * blocks. Attach it with {@link Module#observe}; containers ({@link Sequential},
 * {@link ResidualBlock}, {@link Mlp}) call it around every child call and pass it on to their
 * children, leaves ignore it. Calls come on the thread that runs the module, properly nested.
 */
public interface ModuleObserver {

    /**
     * @param module the child about to run
     * @param backward false for its forward, true for its backward
     */
    void entering(Module module, boolean backward);

    /**
     * @param module the child that ran (also after it threw)
     * @param backward false for its forward, true for its backward
     */
    void left(Module module, boolean backward);
}
