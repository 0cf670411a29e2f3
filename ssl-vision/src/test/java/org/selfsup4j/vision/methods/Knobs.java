package org.selfsup4j.vision.methods;

import java.util.function.Consumer;

/** The fields of {@link MethodOptions}, mutable, for tests that change one or two of a method's defaults. */
final class Knobs {
    ViewRecipe views;
    OptimizerSpec optimizer;
    double temperature;
    int queueSize;
    double momentumBase;
    double momentumFinal;
    double predictorLrScale;
    double vicregSim;
    double vicregVar;
    double vicregCov;
    double barlowLambda;
    int localCrops;
    int localSize;

    /** @return {@code method}'s defaults with {@code change} applied */
    static MethodOptions of(String method, Consumer<Knobs> change) {
        MethodOptions d = MethodOptions.defaults(method);
        Knobs k = new Knobs();
        k.views = d.views();
        k.optimizer = d.optimizer();
        k.temperature = d.temperature();
        k.queueSize = d.queueSize();
        k.momentumBase = d.momentumBase();
        k.momentumFinal = d.momentumFinal();
        k.predictorLrScale = d.predictorLrScale();
        k.vicregSim = d.vicregSim();
        k.vicregVar = d.vicregVar();
        k.vicregCov = d.vicregCov();
        k.barlowLambda = d.barlowLambda();
        k.localCrops = d.localCrops();
        k.localSize = d.localSize();
        change.accept(k);
        return new MethodOptions(k.views, k.optimizer, k.temperature, k.queueSize, k.momentumBase, k.momentumFinal,
                k.predictorLrScale, k.vicregSim, k.vicregVar, k.vicregCov, k.barlowLambda, k.localCrops, k.localSize);
    }
}
