package org.selfsup4j.core.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A container's call of a child, reported to the container's {@link ModuleObserver} when it has one. */
final class Observed {
    private Observed() {
    }

    static INDArray forward(ModuleObserver observer, Module child, INDArray input, boolean training) {
        if (observer == null) {
            return child.forward(input, training);
        }
        observer.entering(child, false);
        try {
            return child.forward(input, training);
        } finally {
            observer.left(child, false);
        }
    }

    static INDArray backward(ModuleObserver observer, Module child, INDArray gradOutput) {
        if (observer == null) {
            return child.backward(gradOutput);
        }
        observer.entering(child, true);
        try {
            return child.backward(gradOutput);
        } finally {
            observer.left(child, true);
        }
    }
}
