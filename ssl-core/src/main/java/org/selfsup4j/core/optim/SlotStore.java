package org.selfsup4j.core.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.selfsup4j.core.nn.Parameter;

/**
 * Per-parameter optimizer state: named slots (e.g. {@code "m"}, {@code "v"}) of the parameter's
 * shape and data type, created zeroed on first sight and kept thereafter, plus a scratch array per
 * parameter that views one shared flat buffer per data type (so scratch costs the largest
 * parameter, not the whole model).
 */
final class SlotStore {
    private final String owner;
    private final String[] slotNames;
    private final Map<String, INDArray[]> slots = new HashMap<>();
    private final Map<String, INDArray> scratchViews = new HashMap<>();
    private final Map<DataType, INDArray> scratchFlat = new EnumMap<>(DataType.class);

    SlotStore(String owner, String... slotNames) {
        this.owner = owner;
        this.slotNames = slotNames.clone();
    }

    /** The slots of a parameter, in the order of the slot names; created zeroed when absent. */
    INDArray[] slots(Parameter p) {
        INDArray[] s = slots.get(p.name());
        if (s == null) {
            s = new INDArray[slotNames.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = Nd4j.zeros(p.value().dataType(), p.value().shape());
            }
            slots.put(p.name(), s);
        } else if (s.length > 0 && !sameLayout(s[0], p.value())) {
            throw new IllegalArgumentException(owner + ".step: parameter " + p.name() + " is "
                    + Arrays.toString(p.value().shape()) + " " + p.value().dataType() + " but its optimizer state is "
                    + Arrays.toString(s[0].shape()) + " " + s[0].dataType()
                    + " (two different parameters with one name, or state restored for another model?)");
        }
        return s;
    }

    /** A scratch array of the parameter's shape and type; its contents are undefined between uses. */
    INDArray scratch(Parameter p) {
        INDArray view = scratchViews.get(p.name());
        if (view != null && sameLayout(view, p.value())) {
            return view;
        }
        DataType type = p.value().dataType();
        long n = p.value().length();
        INDArray flat = scratchFlat.get(type);
        if (flat == null || flat.length() < n) {
            flat = Nd4j.create(type, n);
            scratchFlat.put(type, flat);
            // Older views point at the replaced buffer; drop them so each is rebuilt once.
            scratchViews.clear();
        }
        view = flat.get(NDArrayIndex.interval(0, n)).reshape('c', p.value().shape());
        scratchViews.put(p.name(), view);
        return view;
    }

    /** Live slot arrays keyed {@code "<param>/<slot>"}, in parameter then slot order. */
    Map<String, INDArray> view(List<Parameter> parameters) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Parameter p : parameters) {
            INDArray[] s = slots(p);
            for (int i = 0; i < s.length; i++) {
                out.put(p.name() + "/" + slotNames[i], s[i]);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static boolean sameLayout(INDArray a, INDArray b) {
        return a.dataType() == b.dataType() && Arrays.equals(a.shape(), b.shape());
    }
}
