package org.selfsup4j.vision.methods;

import java.util.function.Function;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.nn.Module;
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
     * @param options the optimizer (the views are one flip, whatever {@code options} say)
     * @return the assembly
     */
    public static PretrainSetup assemble(MethodConfig cfg, MethodOptions options) {
        return assemble("ae", cfg, options, Backbone::module);
    }

    /**
     * An autoencoder whose trained network is {@code encoder} of {@code cfg}'s backbone: the backbone
     * itself (this class), or the backbone behind a corruption of its input ({@link DenoisingAutoencoder});
     * {@link ConvDecoder} reconstructs the clean view from the backbone's features, squared error.
     *
     * @param method the method's name
     * @param encoder the network trained, built around the backbone (which is the one evaluated)
     */
    static PretrainSetup assemble(String method, MethodConfig cfg, MethodOptions options,
            Function<Backbone, Module> encoder) {
        Backbone backbone = cfg.backbone().build();
        var decoder = Assembly.decoder(cfg, backbone);
        return Assembly.reconstruction(method, cfg, options, backbone, Encoder.of(encoder.apply(backbone)),
                ReconstructionObjective.autoencoder(decoder));
    }
}
