package org.selfsup4j.speech.model.nn;

import java.util.List;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;

/**
 * What the layers of this package share as {@link Module}s: a parameter list fixed when the layer is
 * built (set once, at the end of the subclass's constructor, usually from {@link NamedParameters}).
 */
abstract class ParameterizedLayer implements Module {
    private List<Parameter> parameters;

    /**
     * @param ps the layer's parameters, in checkpoint order
     * @throws IllegalStateException when called twice
     */
    final void setParameters(List<Parameter> ps) {
        if (parameters != null) {
            throw new IllegalStateException(getClass().getSimpleName() + ": parameters are already set");
        }
        parameters = List.copyOf(ps);
    }

    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }
}
