package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.augment.image.Normalize;
import org.selfsup4j.core.optim.Lars;
import org.selfsup4j.core.optim.Sgd;
import org.selfsup4j.core.optim.WarmupCosineSchedule;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.methods.MethodConfig;
import org.selfsup4j.vision.methods.MethodOptions;
import org.selfsup4j.vision.methods.Methods;
import org.selfsup4j.vision.methods.OptimizerSpec;
import org.selfsup4j.vision.methods.ViewRecipe;
import picocli.CommandLine;

/**
 * The {@code pretrain} recipe options: each reaches the method's options, a misplaced one is a usage
 * error naming it, and lars and multi-crop runs train.
 */
class ImageRecipeOptionsTest {
    @TempDir
    Path tmp;

    /** The command with {@code args} parsed and validated, as {@code call()} starts. */
    private static PretrainExample parsed(String... args) {
        PretrainExample p = new PretrainExample();
        new CommandLine(p).parseArgs(args);
        p.validate();
        return p;
    }

    private static MethodConfig config(PretrainExample p, int size) {
        int[] w = p.recipe.widths(p.method);
        return new MethodConfig(new BackboneSpec(BackboneSpec.Kind.CONVNET, 3, 4, DataType.FLOAT, 1), size, 100,
                p.recipe.learningRate(p.method, p.lr, 64), w[0], w[1],
                new Normalize(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f}));
    }

    @Test
    void noOptions_everyMethodGetsItsPapersViewsAndTheLibraryDefaults() {
        for (String m : Methods.NAMES) {
            MethodOptions o = parsed("--method", m).recipe.methodOptions(m, 32);
            assertEquals(MethodOptions.defaults(m), o, m);
            assertEquals(ViewRecipe.defaultFor(m), o.views(), m);
        }
        assertEquals(ViewRecipe.BYOL, parsed("--method", "byol").recipe.methodOptions("byol", 32).views());
        assertEquals(OptimizerSpec.Kind.ADAM, parsed().recipe.methodOptions("simclr", 32).optimizer().kind());
    }

    @Test
    void recipeOptions_reachTheMethodOptions() {
        MethodOptions moco = parsed("--method", "moco-v2", "--temperature", "0.1", "--queue-size", "512",
                "--momentum", "0.9", "--momentum-final", "0.99", "--views", "byol").recipe.methodOptions("moco-v2", 32);
        assertEquals(0.1, moco.temperature());
        assertEquals(512, moco.queueSize());
        assertEquals(0, parsed("--method", "swav", "--queue-size", "0").recipe.methodOptions("swav", 32).queueSize(),
                "SwAV without a queue, the reference's default");
        assertEquals(0.9, moco.momentumBase());
        assertEquals(0.99, moco.momentumFinal());
        assertEquals(ViewRecipe.BYOL, moco.views());
        MethodOptions vic = parsed("--method", "vicreg", "--vicreg-sim", "10", "--vicreg-var", "20", "--vicreg-cov",
                "2").recipe.methodOptions("vicreg", 32);
        assertEquals(List.of(10.0, 20.0, 2.0), List.of(vic.vicregSim(), vic.vicregVar(), vic.vicregCov()));
        assertEquals(0.01, parsed("--method", "barlow-twins", "--barlow-lambda", "0.01").recipe
                .methodOptions("barlow-twins", 32).barlowLambda());
        assertEquals(5.0, parsed("--method", "byol", "--predictor-lr", "5").recipe.methodOptions("byol", 32)
                .predictorLrScale());
        MethodOptions mc = parsed("--local-crops", "4").recipe.methodOptions("simclr", 32);
        assertEquals(4, mc.localCrops());
        assertEquals(14, mc.localSide(32), "3/7 of 32");
        PretrainExample proj = parsed("--method", "vicreg", "--projector-dim", "64");
        assertEquals(List.of(64, 0), List.of(proj.recipe.widths("vicreg")[0], proj.recipe.widths("vicreg")[1]));
        assertEquals(32, parsed("--projector-dim", "32").recipe.widths("simclr")[1]);
    }

    @Test
    void optimizerOptions_reachTheBuiltOptimizer() {
        PretrainExample p = parsed("--method", "byol", "--optimizer", "lars", "--lars-eta", "0.02", "--weight-decay",
                "1.5e-6", "--sgd-momentum", "0.95");
        Lars l = assertInstanceOf(Lars.class, Methods.assemble("byol", config(p, 16),
                p.recipe.methodOptions("byol", 16)).optimizer());
        assertEquals(0.02, l.eta());
        assertEquals(1.5e-6, l.weightDecay());
        assertEquals(0.95, l.momentum());
        assertEquals(0.3 * 64 / 256, config(p, 16).learningRate(), 1e-12);
        assertEquals(config(p, 16).learningRate(), ((WarmupCosineSchedule) l.schedule()).baseLr());
        PretrainExample s = parsed("--method", "moco-v2", "--optimizer", "sgd");
        Sgd sgd = assertInstanceOf(Sgd.class, Methods.assemble("moco-v2", config(s, 16),
                s.recipe.methodOptions("moco-v2", 16)).optimizer());
        assertEquals(OptimizerSpec.SGD_WEIGHT_DECAY, sgd.weightDecay());
        assertEquals(0.9, sgd.momentum());
        assertEquals(0.03 * 64 / 256, config(s, 16).learningRate(), 1e-12);
        assertEquals(2e-3, config(parsed("--optimizer", "sgd", "--lr", "2e-3"), 16).learningRate());
    }

    @Test
    void runOptions_holdOnlyTheRecipeOptionsGiven_soOldRunsResume() {
        Map<String, String> plain = parsed().runOptions();
        assertFalse(plain.containsKey("optimizer") || plain.containsKey("temperature"), plain.toString());
        assertEquals("0.001", plain.get("lr"));
        Map<String, String> given = parsed("--optimizer", "lars", "--temperature", "0.2").runOptions();
        assertEquals("lars", given.get("optimizer"));
        assertEquals("0.2", given.get("temperature"));
        assertEquals(Double.toString(0.3 * 64 / 256), given.get("lr"));
    }

    private record Outcome(int code, String err) {
    }

    private Outcome run(String... args) {
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--out";
        all[args.length + 1] = tmp.resolve("out").toString();
        int code = ErrorHandler.commandLine(new PretrainExample(), all).setErr(new PrintWriter(err, true)).execute(all);
        return new Outcome(code, err.toString());
    }

    /** Runs each case (option -&gt; arguments): exit 2, then {@code check} of the case and its stderr. */
    private void assertUsageErrors(Map<String, List<String>> cases,
            BiConsumer<Map.Entry<String, List<String>>, String> check) {
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
            Outcome o = run(c.getValue().toArray(String[]::new));
            assertEquals(ErrorHandler.USAGE, o.code(), c.getKey() + ": " + o.err());
            check.accept(c, o.err());
        }
    }

    @Test
    void optionsTheMethodDoesNotUse_areUsageErrorsNamingOptionAndMethod() {
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("--queue-size", List.of("--method", "simclr", "--queue-size", "100"));
        cases.put("--temperature", List.of("--method", "byol", "--temperature", "0.3"));
        cases.put("--predictor-lr", List.of("--method", "moco-v2", "--predictor-lr", "10"));
        cases.put("--momentum", List.of("--method", "vicreg", "--momentum", "0.9"));
        cases.put("--vicreg-sim", List.of("--method", "barlow-twins", "--vicreg-sim", "1"));
        cases.put("--barlow-lambda", List.of("--method", "vicreg", "--barlow-lambda", "0.1"));
        cases.put("--local-crops", List.of("--method", "vicreg", "--local-crops", "2"));
        cases.put("--views", List.of("--method", "ae", "--views", "byol"));
        cases.put("--projector-dim", List.of("--method", "vae", "--projector-dim", "64"));
        cases.put("--lars-eta", List.of("--lars-eta", "0.01"));
        cases.put("--sgd-momentum", List.of("--optimizer", "adamw", "--sgd-momentum", "0.9"));
        cases.put("--prototypes", List.of("--method", "simsiam", "--prototypes", "100"));
        cases.put("--teacher-temp", List.of("--method", "swav", "--teacher-temp", "0.05"));
        cases.put("--warmup-teacher-temp-epochs", List.of("--method", "moco-v3", "--warmup-teacher-temp-epochs", "5"));
        cases.put("--queue-size ", List.of("--method", "dino", "--queue-size", "100"));
        cases.put("--temperature ", List.of("--method", "simsiam", "--temperature", "0.3"));
        cases.put("--momentum ", List.of("--method", "swav", "--momentum", "0.9"));
        cases.put("--local-crops ", List.of("--method", "moco-v3", "--local-crops", "2"));
        assertUsageErrors(cases, (c, err) -> {
            assertTrue(err.startsWith("error: " + c.getKey().trim() + " is not used by "), err);
            String chooser = c.getKey().startsWith("--lars") || c.getKey().startsWith("--sgd") ? "--optimizer "
                    : "--method " + c.getValue().get(1);
            assertTrue(err.contains(chooser), err);
        });
    }

    @Test
    void badRecipeValues_areUsageErrorsNamingTheOption() {
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("--optimizer", List.of("--optimizer", "rmsprop"));
        cases.put("--views", List.of("--views", "no-such-recipe"));
        cases.put("--temperature", List.of("--temperature", "0"));
        cases.put("--momentum-final", List.of("--method", "byol", "--momentum", "0.99", "--momentum-final", "0.9"));
        cases.put("--local-size", List.of("--local-size", "8"));
        cases.put("--local-size ", List.of("--local-crops", "2", "--local-size", "40", "--image-size", "32"));
        cases.put("--sgd-momentum", List.of("--optimizer", "sgd", "--sgd-momentum", "1"));
        cases.put("--weight-decay", List.of("--weight-decay", "-1"));
        cases.put("--queue-size", List.of("--method", "moco", "--queue-size", "0"));
        cases.put("--teacher-temp", List.of("--method", "dino", "--teacher-temp", "0"));
        cases.put("--prototypes", List.of("--method", "swav", "--prototypes", "0"));
        cases.put("--queue-size   ", List.of("--method", "swav", "--queue-size", "-1"));
        // SwAV's queue must be longer than a batch: refused before any data is read, not after the
        // random-init evaluation
        cases.put("--queue-size    ", List.of("--method", "swav", "--queue-size", "128", "--batch-size", "128"));
        cases.put("--queue-size     ", List.of("--method", "swav", "--batch-size", "4096"));
        cases.put("--local-size  ", List.of("--method", "dino", "--local-size", "40", "--image-size", "32"));
        assertUsageErrors(cases, (c, err) -> assertTrue(err.startsWith("error: ") && err.contains(c.getKey().trim()),
                err));
    }

    @Test
    void help_showsThePapersDefaults() {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new PretrainExample());
        cl.setOut(new PrintWriter(out, true));
        cl.execute("--help");
        String h = out.toString();
        for (String s : List.of("--optimizer", "default adam", "--lars-eta", "0.001", "--temperature", "0.5", "0.2",
                "--queue-size", "4096", "--vicreg-sim", "25.0", "--barlow-lambda", "0.0051", "--local-crops",
                "--views")) {
            assertTrue(h.contains(s), s + " missing from --help");
        }
    }

    @Test
    void tinyRuns_withLarsAndWithMultiCrop_trainWithFiniteLossAndRecordTheRecipe() throws Exception {
        Path data = TinyImages.write(tmp.resolve("data"), 2, 12, 16, 3);
        for (List<String> extra : List.of(List.of("--optimizer", "lars", "--method", "byol"),
                List.of("--local-crops", "2", "--local-size", "8"),
                List.of("--method", "byol", "--local-crops", "2", "--local-size", "8"))) {
            Path out = tmp.resolve("run-" + String.join("-", extra));
            List<String> args = new java.util.ArrayList<>(List.of("--data", data.toString(), "--epochs", "1",
                    "--batch-size", "8", "--width", "4", "--curve-size", "8", "--out", out.toString()));
            args.addAll(extra);
            assertEquals(0, ErrorHandler.execute(new PretrainExample(), args.toArray(String[]::new)), extra.toString());
            Map<String, Object> r = ResultsFile.read(out.resolve("results.json"));
            List<?> losses = (List<?>) r.get("epoch_loss");
            assertFalse(losses.isEmpty());
            assertTrue(losses.stream().allMatch(x -> x instanceof Number n && Double.isFinite(n.doubleValue())),
                    losses.toString());
            Map<?, ?> recipe = (Map<?, ?>) r.get("recipe");
            Map<?, ?> opt = (Map<?, ?>) recipe.get("optimizer");
            Map<?, ?> hyper = (Map<?, ?>) recipe.get("hyperparameters");
            if (extra.contains("lars")) {
                assertEquals("lars", opt.get("kind"));
                assertEquals(Lars.DEFAULT_ETA, ((Number) opt.get("trust_coefficient")).doubleValue());
                assertEquals("byol", recipe.get("views"));
                assertEquals(0.2, ((Number) ((Map<?, ?>) ((List<?>) recipe.get("view_params")).get(1))
                        .get("solarize_p")).doubleValue());
                assertEquals(0.3 * 8 / 256, ((Number) r.get("learning_rate")).doubleValue(), 1e-12);
            } else {
                assertEquals(2, ((Number) hyper.get("local_crops")).intValue());
                assertEquals(8, ((Number) hyper.get("local_size")).intValue());
                assertEquals("adam", opt.get("kind"));
                // the loader made the local crops at their own side, beside the 16-px global ones
                assertEquals(List.of(List.of(8, 3, 16, 16), List.of(8, 3, 16, 16), List.of(8, 3, 8, 8),
                        List.of(8, 3, 8, 8)), r.get("view_shapes"));
                assertEquals(List.of(16, 16, 8, 8), recipe.get("view_sides"));
                List<?> params = (List<?>) recipe.get("view_params");
                assertEquals(4, params.size());
                assertEquals(List.of(0.14, 1.0), ((Map<?, ?>) params.get(0)).get("crop_scale"));
                assertEquals(List.of(0.05, 0.14), ((Map<?, ?>) params.get(3)).get("crop_scale"));
            }
            assertNull(hyper.get("queue_size"), "only the method's own hyperparameters");
        }
    }
}
