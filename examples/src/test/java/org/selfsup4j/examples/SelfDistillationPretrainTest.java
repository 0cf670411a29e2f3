package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code pretrain --method simsiam|moco-v3|dino|swav} end to end on a handful of images: results.json
 * with finite losses, the method's recipe and probe scores, and the encoder file; the new options
 * reach the method's options (their misuse is in {@code ImageRecipeOptionsTest}).
 */
class SelfDistillationPretrainTest {
    @TempDir
    static Path tmp;
    private static Path data;

    @BeforeAll
    static void images() throws Exception {
        data = TinyImages.write(tmp.resolve("data"), 2, 8, 16, 3);
    }

    /** Small enough for one step of each: K 16, 2 local crops of 8 px, a queue of 12 features. */
    private static List<String> tinyOptions(String method) {
        return switch (method) {
            case "dino" -> List.of("--prototypes", "16", "--local-crops", "2", "--local-size", "8");
            case "swav" -> List.of("--prototypes", "16", "--local-crops", "2", "--local-size", "8", "--queue-size", "12");
            default -> List.of();
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"simsiam", "moco-v3", "dino", "swav"})
    void pretrain_method_writesResultsWithItsRecipeProbesAndTheEncoderFile(String method) throws Exception {
        Path out = tmp.resolve("run-" + method);
        List<String> args = new ArrayList<>(List.of("--method", method, "--data", data.toString(), "--epochs", "1",
                "--batch-size", "8", "--width", "4", "--curve-size", "8", "--projector-dim", "16", "--out",
                out.toString()));
        args.addAll(tinyOptions(method));
        assertEquals(0, ErrorHandler.execute(new PretrainExample(), args.toArray(String[]::new)), method);
        Map<String, Object> r = ResultsFile.read(out.resolve("results.json"));
        assertEquals(method, r.get("method"));
        List<?> losses = (List<?>) r.get("epoch_loss");
        assertTrue(!losses.isEmpty() && losses.stream().allMatch(x -> x instanceof Number n
                && Double.isFinite(n.doubleValue())), losses.toString());
        assertTrue(r.get("knn_top1") instanceof Number && r.get("linear_top1") instanceof Number, r.keySet().toString());
        assertTrue(Files.isRegularFile(Path.of((String) r.get("encoder_file"))), "the encoder file is written");
        Map<?, ?> recipe = (Map<?, ?>) r.get("recipe");
        Map<?, ?> opt = (Map<?, ?>) recipe.get("optimizer");
        Map<?, ?> hyper = (Map<?, ?>) recipe.get("hyperparameters");
        switch (method) {
            case "simsiam" -> {
                assertEquals("sgd", opt.get("kind"));
                assertEquals(0.05 * 8 / 256, ((Number) r.get("learning_rate")).doubleValue(), 1e-15);
                assertEquals("moco-v2", recipe.get("views"));
            }
            case "moco-v3" -> {
                assertEquals("lars", opt.get("kind"));
                assertEquals(0.2, ((Number) hyper.get("temperature")).doubleValue());
                assertEquals(0.99, ((Number) hyper.get("momentum_base")).doubleValue());
            }
            case "dino" -> {
                assertEquals("adamw", opt.get("kind"));
                assertEquals(0.04, ((Number) opt.get("weight_decay")).doubleValue());
                assertEquals(List.of(0.04, 0.07), hyper.get("teacher_temperature"));
                assertEquals(16, ((Number) hyper.get("prototypes")).intValue());
                assertEquals(List.of(0.4, 1.0), ((Map<?, ?>) hyper.get("multi_crop_scales")).get("global"));
                assertEquals(List.of(16, 16, 8, 8), recipe.get("view_sides"));
            }
            default -> {
                assertEquals("lars", opt.get("kind"));
                assertEquals(12, ((Number) hyper.get("queue_size")).intValue());
                assertEquals(3, ((Number) hyper.get("sinkhorn_iterations")).intValue());
                assertEquals(List.of(0.05, 0.14), ((Map<?, ?>) hyper.get("multi_crop_scales")).get("local"));
            }
        }
    }

    @Test
    void optionsGiven_reachTheMethodOptions() {
        PretrainExample p = new PretrainExample();
        new picocli.CommandLine(p).parseArgs("--method", "dino", "--teacher-temp", "0.06", "--warmup-teacher-temp",
                "0.03", "--warmup-teacher-temp-epochs", "5", "--dino-out-dim", "128", "--local-crops", "0");
        p.validate();
        var o = p.recipe.methodOptions("dino", 32);
        assertEquals(List.of(0.03, 0.06), List.of(o.teacherTemperatureStart(), o.teacherTemperatureEnd()));
        assertEquals(List.of(5, 128, 0), List.of(o.teacherWarmupEpochs(), o.prototypes(), o.localCrops()));
    }
}
