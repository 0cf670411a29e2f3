package org.selfsup4j.core.nn;

import java.util.List;

/**
 * The common part of the modules without parameters or buffers (activations, pooling, reshapes):
 * no parameters, and the class name as description, so each of them holds only its function.
 * Public so that the modality modules of that kind (patchify, reshapes, upsampling) share it too.
 */
public abstract class ParameterFreeModule implements Module {

    @Override
    public final List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}
