package org.selfsup4j.core.nn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.Checks;

/**
 * Applies its children in order, as PyTorch's {@code nn.Sequential}. Children are named by index
 * ({@code "0"}, {@code "1"}, ...) or by given names; parameter and buffer names are prefixed with the
 * child's name ({@code "0.weight"}, {@code "bn1.running_mean"}). Each module instance should appear
 * once: a module remembers only its last forward.
 */
public final class Sequential extends CompositeModule {
    private boolean forwarded;

    /** Children named "0", "1", ... */
    public Sequential(Module... modules) {
        this(indexNames(modules.length), List.of(modules));
    }

    /** Children with the given names, in order (names unique, without dots). */
    public Sequential(List<String> names, List<? extends Module> modules) {
        super("Sequential", checked(names, modules), modules);
    }

    /** The names, once they and the modules are fit to build a Sequential. */
    private static List<String> checked(List<String> names, List<? extends Module> modules) {
        if (names.size() != modules.size() || modules.isEmpty()) {
            throw new IllegalArgumentException("Sequential: need as many names as modules and at least one module, got "
                    + names.size() + " names and " + modules.size() + " modules");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n == null || n.isEmpty() || n.contains(".") || !seen.add(n)) {
                throw new IllegalArgumentException("Sequential: child names must be unique, non-empty and dot-free, got "
                        + names);
            }
        }
        for (Module m : modules) {
            Objects.requireNonNull(m, "Sequential: module");
        }
        return names;
    }

    /** A builder adding children one at a time, named or by index. */
    public static Builder builder() {
        return new Builder();
    }

    private static List<String> indexNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    /** The children, in order. */
    public List<Module> children() { return children; }

    /** The children's names, in order. */
    public List<String> names() { return names; }

    /** The child called {@code name}. */
    public Module child(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("Sequential.child: no child named " + name + ", have " + names);
        }
        return children.get(i);
    }

    @Override
    public INDArray forward(INDArray input, boolean training) {
        INDArray x = input;
        for (Module m : children) {
            x = Observed.forward(observer(), m, x, training);
        }
        forwarded = true;
        return x;
    }

    @Override
    public INDArray backward(INDArray gradOutput) {
        Checks.state(forwarded, "Sequential.backward", "backward called before forward");
        INDArray g = gradOutput;
        for (int i = children.size() - 1; i >= 0; i--) {
            g = Observed.backward(observer(), children.get(i), g);
        }
        return g;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequential(");
        for (int i = 0; i < children.size(); i++) {
            sb.append("\n  (").append(names.get(i)).append("): ").append(children.get(i).toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }

    /** Collects children; unnamed ones get their position as name. */
    public static final class Builder {
        private final List<String> names = new ArrayList<>();
        private final List<Module> modules = new ArrayList<>();

        private Builder() {
        }

        /** Adds a child named by its position. */
        public Builder add(Module module) {
            return add(Integer.toString(modules.size()), module);
        }

        /** Adds a named child. */
        public Builder add(String name, Module module) {
            names.add(name);
            modules.add(module);
            return this;
        }

        public Sequential build() {
            return new Sequential(names, modules);
        }
    }
}
