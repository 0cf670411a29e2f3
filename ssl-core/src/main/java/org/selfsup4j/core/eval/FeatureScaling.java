package org.selfsup4j.core.eval;

/**
 * How {@link LinearProbe} rescales features before the logistic regression. The statistics always
 * come from the rows the model is fit on (the fit part during lambda selection, all training rows
 * for the final model), never from held-out or test rows.
 *
 * <p>The choice matters because the L2 penalty is not scale-invariant: {@link #STANDARDIZE} gives
 * every feature the same prior weight scale, which suits learned features of uneven variance but
 * inflates rare, nearly-constant inputs (border pixels that are almost always blank) to unit
 * variance; {@link #MAX_ABS} keeps the relative scale of the features, which suits inputs that share
 * one unit, such as pixel intensities.
 */
public enum FeatureScaling {
    /** {@code (x - mean) / std} per feature; a feature with {@code std < 1e-12} is only centred. */
    STANDARDIZE,
    /**
     * {@code x / s} with one scalar {@code s = max |x|} over all training entries (1 if that is
     * below 1e-12): the geometry of the features is kept, only their unit changes.
     */
    MAX_ABS,
    /** The features as given. */
    NONE
}
