package org.selfsup4j.core.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A module made of named children ({@link Sequential}, {@link ResidualBlock}): it holds them, names
 * what they hold as PyTorch does (each child's parameters and buffers under the child's name,
 * {@code "conv1.weight"}, {@code "bn1.running_mean"}, in child order) and passes an observer on to
 * every child. The subclass only says in which order its forward and backward run the children,
 * through {@link Observed} with {@link #observer()}.
 */
abstract class CompositeModule implements Module {
    /** The children's names and the children, in checkpoint order. */
    final List<String> names;
    final List<Module> children;
    private final List<Parameter> parameters;
    private ModuleObserver observer;

    /**
     * @param where the module's name in messages
     * @param names the children's names, as many as {@code children}
     * @param children the children, in order
     * @throws IllegalArgumentException if two parameters end up with the same name
     */
    CompositeModule(String where, List<String> names, List<? extends Module> children) {
        this.names = List.copyOf(names);
        this.children = List.copyOf(children);
        this.parameters = prefixedParameters(where);
    }

    private List<Parameter> prefixedParameters(String where) {
        List<Parameter> ps = new ArrayList<>();
        Set<String> paramNames = new HashSet<>();
        for (int i = 0; i < children.size(); i++) {
            for (Parameter p : children.get(i).parameters()) {
                Parameter q = p.prefixed(names.get(i));
                if (!paramNames.add(q.name())) {
                    throw new IllegalArgumentException(where + ": duplicate parameter name " + q.name());
                }
                ps.add(q);
            }
        }
        return List.copyOf(ps);
    }

    /** The observer the forward and backward pass to {@link Observed}, or null for none. */
    final ModuleObserver observer() {
        return observer;
    }

    @Override
    public final void observe(ModuleObserver observer) {
        this.observer = observer;
        for (Module m : children) {
            m.observe(observer);
        }
    }

    /** Every child's parameters, prefixed with its name, in child order. */
    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    /** Every child's buffers, prefixed with its name, in child order; unmodifiable. */
    @Override
    public final Map<String, INDArray> buffers() {
        Map<String, INDArray> all = new LinkedHashMap<>();
        for (int i = 0; i < children.size(); i++) {
            for (Map.Entry<String, INDArray> e : children.get(i).buffers().entrySet()) {
                all.put(names.get(i) + "." + e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(all);
    }
}
