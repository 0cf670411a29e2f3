package org.selfsup4j.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The OpenBLAS kernels a run uses, for its {@code results.json}, and a one-line hint when they are
 * likely the slow ones. OpenBLAS 0.3.19 (bundled with ND4J M2.1) picks its kernels from the CPU when
 * it loads, unless the environment variable {@code OPENBLAS_CORETYPE} names them, and it does not know
 * AMD's newest cores: on Zen 5 it falls back to SSE-era kernels. {@code Haswell} (AVX2) fixes that, and
 * on a CPU with AVX-512 {@code SkylakeX}'s kernels are faster still: the speech model's
 * {@code [392, 256] x [256, 1024]} float32 product took 0.82-0.85 ms against 1.55 ms on one Zen 5 core
 * (benchmarks/README.md). Intel CPUs with AVX-512 are recognised by OpenBLAS itself.
 */
public final class BlasSettings {
    private static final String VARIABLE = "OPENBLAS_CORETYPE";

    private BlasSettings() {
    }

    /** {@code OPENBLAS_CORETYPE} as this process has it, or {@code "auto"} when unset. */
    public static String coretype() {
        String v = System.getenv(VARIABLE);
        return v == null || v.isBlank() ? "auto" : v.trim();
    }

    /** The hint for this machine, read from {@code /proc/cpuinfo} (none where that cannot be read). */
    public static Optional<String> hint() {
        try {
            Path cpuinfo = Path.of("/proc/cpuinfo");
            return Files.isReadable(cpuinfo) ? hint(Files.readString(cpuinfo), coretype()) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * @param cpuinfo the text of {@code /proc/cpuinfo} (its first processor is read)
     * @param coretype {@code OPENBLAS_CORETYPE}, {@code "auto"} when unset
     * @return a sentence naming the setting to use, when the current one is likely slower than it
     */
    static Optional<String> hint(String cpuinfo, String coretype) {
        String vendor = field(cpuinfo, "vendor_id");
        String flags = " " + field(cpuinfo, "flags") + " ";
        boolean avx512 = flags.contains(" avx512f ") && flags.contains(" avx512bw ") && flags.contains(" avx512dq ")
                && flags.contains(" avx512vl ");
        boolean amd = vendor.equals("AuthenticAMD");
        if (avx512 && (coretype.equalsIgnoreCase("Haswell") || (amd && coretype.equals("auto")))) {
            return Optional.of("Note: this CPU has AVX-512 and " + VARIABLE + " is " + coretype
                    + "; OpenBLAS's matrix products run about 1.9x faster with " + VARIABLE + "=SkylakeX"
                    + " (set it before starting Java).");
        }
        return Optional.empty();
    }

    /** The value of the first {@code name : value} line, or "" when there is none. */
    private static String field(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "";
    }
}
