package org.selfsup4j.core.nn.transformer;

import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.core.nn.Parameter;

/**
 * Collects the parameters of a composite network under the names of its parts ({@code "attn.qkv.weight"}),
 * in the order the parts are added: checkpoints and optimizer slots key on these names, so the order
 * and names are part of a model's format.
 */
public final class NamedParameters {
    private final List<Parameter> parameters = new ArrayList<>();

    /**
     * @param prefix the part's name
     * @param part its parameters
     * @return this
     */
    public NamedParameters add(String prefix, List<Parameter> part) {
        part.forEach(p -> parameters.add(p.prefixed(prefix)));
        return this;
    }

    /**
     * @param own a parameter of the composite itself, kept under its own name
     * @return this
     */
    public NamedParameters add(Parameter own) {
        parameters.add(own);
        return this;
    }

    /** @return an unmodifiable copy of what was added */
    public List<Parameter> build() {
        return List.copyOf(parameters);
    }
}
