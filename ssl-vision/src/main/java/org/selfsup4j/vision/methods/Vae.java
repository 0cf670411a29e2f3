package org.selfsup4j.vision.methods;

import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.vision.encoders.Backbone;

/**
 * Variational autoencoder baseline (Kingma &amp; Welling 2014): backbone features -> {@code Linear} to
 * a Gaussian latent's mean and log-variance, reparameterised sample, {@link ConvDecoder}; loss =
 * reconstruction + KL (see {@link ReconstructionObjective}). Evaluated on the backbone's features.
 */
public final class Vae {
    /** Latent width used here. */
    public static final int DEFAULT_LATENT = 128;
    /** KL weight of the plain VAE. */
    public static final double BETA = 1.0;

    private Vae() {
    }

    /**
     * @param cfg backbone, size, run length ({@code out} sets the latent width)
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg) {
        return assemble(cfg, MethodOptions.defaults("vae"));
    }

    /**
     * @param cfg backbone, size, run length ({@code out} sets the latent width)
     * @param options the optimizer (the views are one flip, whatever {@code options} say)
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        Backbone backbone = cfg.backbone().build();
        int latent = cfg.outOr(DEFAULT_LATENT);
        var rng = Assembly.headRng(cfg, 0);
        Linear head = new Linear(backbone.featureDim(), 2 * latent, true, cfg.backbone().dtype(), rng);
        return Assembly.reconstruction("vae", cfg, options, backbone, Encoder.of(backbone.module()),
                ReconstructionObjective.vae(head, Assembly.decoder(cfg, latent, rng), BETA));
    }
}
