package org.selfsup4j.core.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Where a checkpoint came from: library version, ND4J backend, Java, OS and architecture. */
public final class Provenance {
    private Provenance() {
    }

    /** Key/value pairs describing this process. */
    public static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        Package pkg = Provenance.class.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        m.put("library", "selfsup4j " + (version == null ? "dev" : version));
        String backend;
        try {
            backend = org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName();
        } catch (RuntimeException e) {
            backend = "unknown";
        }
        m.put("nd4jBackend", backend);
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        return m;
    }
}
