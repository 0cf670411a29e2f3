package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlasSettingsTest {
    private static final String ZEN5 = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx2 fma avx512f"
            + " avx512dq avx512bw avx512vl avx512_bf16\n\nprocessor\t: 1\nvendor_id\t: AuthenticAMD\n";
    private static final String ZEN3 = "vendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx avx2 fma\n";
    private static final String SKYLAKE_X = "vendor_id\t: GenuineIntel\nflags\t\t: avx2 avx512f avx512dq avx512bw avx512vl\n";

    @Test
    void amdWithAvx512_unsetOrHaswell_isToldToUseSkylakeX() {
        assertTrue(BlasSettings.hint(ZEN5, "auto").orElseThrow().contains("OPENBLAS_CORETYPE=SkylakeX"));
        assertTrue(BlasSettings.hint(ZEN5, "Haswell").orElseThrow().contains("is Haswell"));
    }

    @Test
    void settingsThatAreAlreadyRight_orCpusOpenBlasKnows_getNoHint() {
        assertEquals(Optional.empty(), BlasSettings.hint(ZEN5, "SkylakeX"));
        assertEquals(Optional.empty(), BlasSettings.hint(ZEN3, "auto"), "AVX2 only: OpenBLAS knows Zen 1-3");
        assertEquals(Optional.empty(), BlasSettings.hint(ZEN3, "Haswell"));
        assertEquals(Optional.empty(), BlasSettings.hint(SKYLAKE_X, "auto"), "OpenBLAS detects Intel's AVX-512 itself");
        assertEquals(Optional.empty(), BlasSettings.hint("", "auto"), "no cpuinfo: nothing to say");
    }

    @Test
    void intelWithAvx512_forcedToHaswell_getsTheHint() {
        assertTrue(BlasSettings.hint(SKYLAKE_X, "haswell").isPresent());
    }
}
