package org.selfsup4j.core.optim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.nn.Parameter;

/** Reads optimizer_trajectories.json, written by make_fixtures.py beside it. */
final class Fixtures {
    static final String[] NAMES = {"w", "b", "z"};
    private static JsonNode root;

    private Fixtures() {
    }

    static synchronized JsonNode cases() {
        if (root == null) {
            try (InputStream in = Fixtures.class.getResourceAsStream("optimizer_trajectories.json")) {
                root = new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root.get("cases");
    }

    static JsonNode get(String name) {
        JsonNode c = cases().get(name);
        if (c == null) {
            throw new IllegalStateException("no fixture case " + name);
        }
        return c;
    }

    static INDArray array(JsonNode enc) {
        long[] shape = new long[enc.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = enc.get("shape").get(i).asLong();
        }
        double[] data = new double[enc.get("data").size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = enc.get("data").get(i).asDouble();
        }
        return Nd4j.createFromArray(data).reshape('c', shape);
    }

    /** Fresh float64 parameters at the case's initial values, decay flags as in the fixture. */
    static List<Parameter> initialParameters(JsonNode c) {
        List<Parameter> ps = new ArrayList<>();
        for (String n : NAMES) {
            ps.add(new Parameter("net." + n, array(c.get("initial").get(n)), c.get("decay").get(n).asBoolean()));
        }
        return ps;
    }

    /** The case's learning rate per step. */
    static LearningRateSchedule schedule(JsonNode c) {
        JsonNode lrs = c.get("lrs");
        return step -> lrs.get((int) step).asDouble();
    }

    /** Sets each parameter's gradient to the fixture's gradient at step k. */
    static void loadGradients(JsonNode c, int k, List<Parameter> ps) {
        for (int i = 0; i < NAMES.length; i++) {
            ps.get(i).gradient().assign(array(c.get("steps").get(k).get("grad").get(NAMES[i])));
        }
    }

    static INDArray expectedAfter(JsonNode c, int k, int paramIndex) {
        return array(c.get("steps").get(k).get("after").get(NAMES[paramIndex]));
    }

    /** The optimizer the case's config describes, on the case's learning-rate schedule. */
    static Optimizer optimizer(JsonNode c) {
        JsonNode cfg = c.get("config");
        LearningRateSchedule lr = schedule(c);
        double wd = cfg.get("weightDecay").asDouble();
        return switch (cfg.get("optimizer").asText()) {
            case "sgd" -> Sgd.builder(lr).momentum(cfg.get("momentum").asDouble())
                    .nesterov(cfg.get("nesterov").asBoolean()).weightDecay(wd).build();
            case "adam" -> Adam.builder(lr).betas(cfg.get("beta1").asDouble(), cfg.get("beta2").asDouble())
                    .epsilon(cfg.get("eps").asDouble()).weightDecay(wd).build();
            case "adamw" -> AdamW.builder(lr).betas(cfg.get("beta1").asDouble(), cfg.get("beta2").asDouble())
                    .epsilon(cfg.get("eps").asDouble()).weightDecay(wd).build();
            case "lars" -> Lars.builder(lr).momentum(cfg.get("momentum").asDouble())
                    .nesterov(cfg.get("nesterov").asBoolean()).eta(cfg.get("eta").asDouble()).weightDecay(wd).build();
            default -> throw new IllegalStateException("unknown optimizer " + cfg);
        };
    }
}
