package org.selfsup4j.vision.methods;

import java.util.List;
import java.util.Locale;

/** Looks a method up by name: {@code simclr, moco-v2, byol, vicreg, barlow-twins, ae, dae, vae}. */
public final class Methods {
    /** Every method name, self-supervised first. */
    public static final List<String> NAMES = List.of("simclr", "moco-v2", "byol", "vicreg", "barlow-twins", "ae", "dae",
            "vae");

    private Methods() {
    }

    /**
     * @param name a method name (case-insensitive; {@code _} and {@code -} interchangeable)
     * @param cfg the configuration
     * @return the assembly
     */
    public static PretrainSetup assemble(String name, MethodConfig cfg) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (n) {
            case "simclr" -> SimClr.assemble(cfg);
            case "moco-v2", "moco", "mocov2" -> MocoV2.assemble(cfg);
            case "byol" -> Byol.assemble(cfg);
            case "vicreg" -> VicReg.assemble(cfg);
            case "barlow-twins", "barlowtwins", "barlow" -> BarlowTwins.assemble(cfg);
            case "ae", "autoencoder" -> Autoencoder.assemble(cfg);
            case "dae", "denoising-ae" -> DenoisingAutoencoder.assemble(cfg);
            case "vae" -> Vae.assemble(cfg);
            default -> throw new IllegalArgumentException("Methods.assemble: expected one of " + NAMES + ", got " + name);
        };
    }
}
