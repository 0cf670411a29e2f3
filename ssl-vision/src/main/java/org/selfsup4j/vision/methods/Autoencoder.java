package org.selfsup4j.vision.methods;

import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.vision.encoders.Backbone;

/**
 * Convolutional autoencoder baseline: the backbone's pooled features are decoded back to the
 * (flipped, normalised) image by {@link ConvDecoder}; squared error. Evaluated like the
 * self-supervised methods, on the backbone's features.
 */
public final class Autoencoder {
    /** Channels at the decoder's smallest resolution. */
    public static final int DECODER_CHANNELS = 128;

    private Autoencoder() {
    }

    /**
     * @param cfg backbone, size, run length
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg) {
        return assemble(cfg, MethodOptions.defaults("ae"));
    }

    /**
     * @param cfg backbone, size, run length
     * @param options the optimizer (the views are one flip, whatever {@code options} say)
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        Backbone backbone = cfg.backbone().build();
        return Assembly.reconstruction("ae", cfg, options, backbone, Encoder.of(backbone.module()),
                ReconstructionObjective.autoencoder(Assembly.decoder(cfg, backbone)));
    }
}
