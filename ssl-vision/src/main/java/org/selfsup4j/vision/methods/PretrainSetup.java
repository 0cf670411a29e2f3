package org.selfsup4j.vision.methods;

import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.core.nn.Encoder;
import org.selfsup4j.core.optim.Optimizer;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.vision.encoders.Backbone;

/**
 * An assembled method, ready for {@link org.selfsup4j.core.train.Trainer}: {@code new Trainer(config,
 * setup.encoder(), setup.objective(), setup.optimizer())} fed with {@link #views()} of the images.
 *
 * @param method the method's name, e.g. {@code "simclr"}
 * @param backbone the representation evaluated after training (shares weights with {@code encoder})
 * @param encoder what the trainer runs on the views: backbone + projection head, or the backbone alone
 * @param objective the loss (and any heads, momentum encoders, queues or decoders it owns)
 * @param views the augmentation pipeline (one view per encoder input)
 * @param optimizer the optimizer with its schedule
 */
public record PretrainSetup(String method, Backbone backbone, Encoder encoder, Objective objective,
                            ViewPipeline<FloatImage> views, Optimizer optimizer) {
}
