package org.selfsup4j.vision.methods;

import java.util.List;
import java.util.Locale;

/**
 * Looks a method up by name: {@code simclr, moco-v2, byol, vicreg, barlow-twins, simsiam, moco-v3,
 * dino, swav, mae, ae, dae, vae}.
 */
public final class Methods {
    /** Every method name, self-supervised first. */
    public static final List<String> NAMES = List.of("simclr", "moco-v2", "byol", "vicreg", "barlow-twins", "simsiam",
            "moco-v3", "dino", "swav", "mae", "ae", "dae", "vae");

    private Methods() {
    }

    /**
     * @param name a method name (case-insensitive; {@code _} and {@code -} interchangeable; the aliases
     *             {@code moco, mocov2, mocov3, barlowtwins, barlow, autoencoder, denoising-ae} accepted too)
     * @return its canonical name, one of {@link #NAMES}; cheap, so a command line can check a name
     *         before it reads any data
     * @throws IllegalArgumentException for an unknown name, naming the choices
     */
    public static String resolve(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (n) {
            case "simclr" -> "simclr";
            case "moco-v2", "moco", "mocov2" -> "moco-v2";
            case "byol" -> "byol";
            case "vicreg" -> "vicreg";
            case "barlow-twins", "barlowtwins", "barlow" -> "barlow-twins";
            case "simsiam" -> "simsiam";
            case "moco-v3", "mocov3" -> "moco-v3";
            case "dino" -> "dino";
            case "swav" -> "swav";
            case "mae" -> "mae";
            case "ae", "autoencoder" -> "ae";
            case "dae", "denoising-ae" -> "dae";
            case "vae" -> "vae";
            default -> throw new IllegalArgumentException("Methods: expected one of " + NAMES + ", got " + name);
        };
    }

    /**
     * @param name a method name, as {@link #resolve}
     * @param cfg the configuration
     * @return the assembly
     * @throws IllegalArgumentException for an unknown name, naming the choices
     */
    public static PretrainSetup assemble(String name, MethodConfig cfg) {
        return assemble(name, cfg, MethodOptions.defaults(name));
    }

    /**
     * @param name a method name, as {@link #resolve}
     * @param cfg the configuration
     * @param options views, optimizer and hyperparameters ({@link MethodOptions#defaults} for the papers')
     * @return the assembly
     * @throws IllegalArgumentException for an unknown name, naming the choices
     */
    public static PretrainSetup assemble(String name, MethodConfig cfg, MethodOptions options) {
        return switch (resolve(name)) {
            case "simclr" -> SimClr.assemble(cfg, options);
            case "moco-v2" -> MocoV2.assemble(cfg, options);
            case "byol" -> Byol.assemble(cfg, options);
            case "vicreg" -> VicReg.assemble(cfg, options);
            case "barlow-twins" -> BarlowTwins.assemble(cfg, options);
            case "simsiam" -> SimSiam.assemble(cfg, options);
            case "moco-v3" -> MocoV3.assemble(cfg, options);
            case "dino" -> Dino.assemble(cfg, options);
            case "swav" -> Swav.assemble(cfg, options);
            case "mae" -> Mae.assemble(cfg, options);
            case "ae" -> Autoencoder.assemble(cfg, options);
            case "dae" -> DenoisingAutoencoder.assemble(cfg, options);
            default -> Vae.assemble(cfg, options);
        };
    }
}
