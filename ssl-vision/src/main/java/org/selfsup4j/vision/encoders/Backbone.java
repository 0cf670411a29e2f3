package org.selfsup4j.vision.encoders;

import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Module;

/**
 * An image feature extractor: {@code [N, C, H, W]} images to {@code [N, featureDim]} features (the
 * representation that kNN and linear probes evaluate, before any projection head).
 *
 * @param module the network
 * @param featureDim width of its output
 * @param description a short name for reports, e.g. {@code "convnet(32-64-128-256)"}
 */
public record Backbone(Module module, int featureDim, String description) {
    public Backbone {
        Checks.notNull("Backbone", "module", module);
        Checks.positive("Backbone", "featureDim", featureDim);
    }
}
