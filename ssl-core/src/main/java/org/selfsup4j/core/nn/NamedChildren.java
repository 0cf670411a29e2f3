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
 * How a module made of named children names what it holds, as PyTorch does: each child's parameters
 * and buffers under the child's name ({@code "conv1.weight"}, {@code "bn1.running_mean"}), in child
 * order. Shared by {@link Sequential} and {@link ResidualBlock}.
 */
final class NamedChildren {
    private NamedChildren() {
    }

    /**
     * @param where the module's name in messages
     * @param names the children's names, as many as {@code children}
     * @param children the children, in order
     * @return their parameters, prefixed, in order
     * @throws IllegalArgumentException if two of them end up with the same name
     */
    static List<Parameter> parameters(String where, List<String> names, List<? extends Module> children) {
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

    /**
     * @param names the children's names, as many as {@code children}
     * @param children the children, in order
     * @return their buffers, prefixed, in order, unmodifiable
     */
    static Map<String, INDArray> buffers(List<String> names, List<? extends Module> children) {
        Map<String, INDArray> all = new LinkedHashMap<>();
        for (int i = 0; i < children.size(); i++) {
            for (Map.Entry<String, INDArray> e : children.get(i).buffers().entrySet()) {
                all.put(names.get(i) + "." + e.getKey(), e.getValue());
            }
        }
        return Collections.unmodifiableMap(all);
    }
}
