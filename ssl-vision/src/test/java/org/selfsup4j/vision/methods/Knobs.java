package org.selfsup4j.vision.methods;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** {@link MethodOptions#defaults} with some fields replaced, by component name, for tests. */
final class Knobs {
    private Knobs() {
    }

    /**
     * @param method a method name
     * @param changes component name -&gt; new value (boxed as the component's type)
     * @return the method's defaults with {@code changes}
     * @throws IllegalArgumentException as the constructor throws it, or for an unknown name
     */
    static MethodOptions of(String method, Map<String, ?> changes) {
        MethodOptions d = MethodOptions.defaults(method);
        RecordComponent[] rc = MethodOptions.class.getRecordComponents();
        Object[] args = new Object[rc.length];
        Class<?>[] types = new Class<?>[rc.length];
        Set<String> unused = new HashSet<>(changes.keySet());
        try {
            for (int i = 0; i < rc.length; i++) {
                types[i] = rc[i].getType();
                args[i] = unused.remove(rc[i].getName()) ? changes.get(rc[i].getName()) : rc[i].getAccessor().invoke(d);
            }
            if (!unused.isEmpty()) {
                throw new IllegalStateException("Knobs: MethodOptions has no " + unused);
            }
            return MethodOptions.class.getDeclaredConstructor(types).newInstance(args);
        } catch (InvocationTargetException e) {
            throw (RuntimeException) e.getCause();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
