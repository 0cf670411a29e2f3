package org.selfsup4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.core.checkpoint.CheckpointMetadata;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.core.encoder.EncoderProvenance;
import org.selfsup4j.core.train.Trainer;
import org.selfsup4j.examples.ResultsFile;
import org.selfsup4j.examples.RunFolder;
import org.selfsup4j.examples.UserError;
import org.selfsup4j.speech.pretrained.SpeechEncoderExport;
import org.selfsup4j.vision.pretrained.ImageEncoderExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code selfsup4j export}: an encoder file from a training checkpoint of a run, by the library's
 * exporters ({@link ImageEncoderExport}, {@link SpeechEncoderExport}) on the checkpoint's arrays.
 *
 * <p>The exporters need the backbone's configuration (channels come from the data) and the
 * preprocessing (the training set's normalisation statistics; a speech run's layer). {@code pretrain}
 * and {@code pretrain-speech} put both into every checkpoint ({@link EncoderFile#recipeMetadata}), so
 * any checkpoint exports on its own, a killed run's too; a speech checkpoint names the top layer, as
 * its probe has not chosen one yet. Checkpoints written before that field existed take the recipe from
 * the encoder file the run wrote at its end ({@code <run>/encoder.selfsup4j}; the checkpoint must be of
 * the same run: its run id is that of {@code run.json}), or from {@code --like}, the encoder file of a
 * run with the same options and data (its backbone and normalisation are this run's too). The provenance is
 * the checkpoint's ({@link EncoderProvenance#fromCheckpoint}), with the run's probe scores when the
 * checkpoint is of the step they were measured at.
 */
@Command(name = "export",
        description = "Writes an encoder file from a checkpoint of a run (a checkpoints/*.ckpt, or the run folder: "
                + "its newest valid checkpoint).")
final class ExportCommand extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<checkpoint|run>", description = "a checkpoint (<run>/checkpoints/"
            + "step-N.ckpt) or a run folder (its newest valid checkpoint)")
    Path source;

    @Mixin
    OutFile outFile;

    @Option(names = "--like", paramLabel = "<encoder file>", description = "take the backbone configuration and "
            + "preprocessing from this encoder file (of a run with the same options and data) instead of the checkpoint's "
            + "own recipe (older checkpoints carry none)")
    Path like;

    /** A checkpoint to export and the run folder it belongs to. */
    record Source(Path checkpoint, Path run) {
    }

    @Override
    public Integer call() throws Exception {
        Path out = outFile.checked();
        Source s = resolve(source);
        Checkpoint c = CheckpointFormat.read(s.checkpoint());
        if (EncoderFile.FORMAT_NAME.equals(c.metadata().get("format"))) {
            throw UserError.usage(s.checkpoint() + " is an encoder file already, not a training checkpoint");
        }
        Path runEncoder = s.run().resolve(EncoderFile.DEFAULT_FILE_NAME);
        Optional<EncoderHeader> carried = like == null ? EncoderFile.recipe(c, s.checkpoint(),
                EncoderProvenance.fromCheckpoint(c, Map.of())) : Optional.empty();
        EncoderHeader recipe;
        String from;
        if (carried.isPresent()) {
            recipe = carried.get();
            from = "the recipe the checkpoint carries";
            if (Files.isRegularFile(runEncoder)) {
                // the finished run's probe scores, when they were measured on this checkpoint's weights
                requireSameRun(c, s);
                recipe = withProvenance(recipe, provenance(c, EncoderFile.read(runEncoder).header()));
            }
        } else {
            Path file = like != null ? like : runEncoder;
            if (like != null && !Files.isRegularFile(like)) {
                throw UserError.data("--like " + like + " does not exist", null);
            }
            if (!Files.isRegularFile(file)) {
                throw UserError.data("cannot export " + s.checkpoint() + ": its run folder " + s.run() + " has no "
                        + EncoderFile.DEFAULT_FILE_NAME + " to take the backbone configuration and preprocessing from "
                        + "(the run has not finished: finish it with --resume, or pass --like <encoder file of a run "
                        + "with the same options>)", null);
            }
            if (like == null) {
                requireSameRun(c, s);
            }
            EncoderHeader h = EncoderFile.read(file).header();
            recipe = withProvenance(h, provenance(c, h));
            from = "the recipe of " + file;
        }
        OutFile.createParent(out);
        if (EncoderHeader.IMAGE.equals(recipe.modality())) {
            ImageEncoderExport.export(s.checkpoint(), recipe, out);
        } else {
            SpeechEncoderExport.export(s.checkpoint(), recipe, out);
        }
        System.out.println("Exported " + s.checkpoint() + " (step " + c.metadata().get(Trainer.META_STEP) + ", "
                + recipe.modality() + " encoder by " + from + ") to " + out);
        return 0;
    }

    private static EncoderHeader withProvenance(EncoderHeader h, EncoderProvenance p) {
        return new EncoderHeader(h.modality(), h.backbone(), h.preprocessing(), p.toJson());
    }

    /**
     * @param source a checkpoint file, a run folder or its checkpoints folder
     * @return the checkpoint (a folder's newest that verifies) and its run folder
     * @throws UserError when there is no such file or no valid checkpoint
     */
    static Source resolve(Path source) throws IOException {
        if (!Files.exists(source)) {
            throw UserError.data(source + " does not exist (expected a checkpoint or a run folder)", null);
        }
        if (Files.isRegularFile(source)) {
            Path parent = source.toAbsolutePath().getParent();
            boolean inCheckpoints = parent.getFileName() != null
                    && parent.getFileName().toString().equals(RunFolder.CHECKPOINTS);
            return new Source(source, inCheckpoints ? parent.getParent() : parent);
        }
        Path run = source.getFileName() != null && source.getFileName().toString().equals(RunFolder.CHECKPOINTS)
                && !Files.isDirectory(source.resolve(RunFolder.CHECKPOINTS)) ? source.toAbsolutePath().getParent()
                : source;
        CheckpointStore store = new CheckpointStore(run.resolve(RunFolder.CHECKPOINTS), 1);
        Optional<Checkpoint> latest = store.loadLatest();
        if (latest.isEmpty()) {
            throw UserError.data(run + " holds no valid checkpoint in " + store.dir() + " (expected a run folder of "
                    + "pretrain or pretrain-speech)", null);
        }
        long step = Long.parseLong(latest.get().metadata().get(Trainer.META_STEP));
        return new Source(store.dir().resolve(CheckpointStore.fileName(step)), run);
    }

    /** Refuses a checkpoint of another run than the one whose encoder file gives the recipe. */
    private static void requireSameRun(Checkpoint c, Source s) throws IOException {
        Path runFile = s.run().resolve(RunFolder.RUN_FILE);
        if (!Files.isRegularFile(runFile)) {
            return; // a run from before run ids: nothing to compare
        }
        Object runId = ResultsFile.read(runFile).get("run_id");
        String id = c.metadata().get(CheckpointMetadata.RUN_ID);
        if (runId != null && !runId.equals(id)) {
            throw UserError.usage("cannot export " + s.checkpoint() + ": it belongs to " + (id == null
                    ? "a run without a run id" : "run " + id) + ", not to run " + runId + " of " + runFile
                    + ", whose encoder file would give the backbone configuration");
        }
    }

    /** The checkpoint's provenance, with the run's probe scores if they were measured on the checkpoint's weights. */
    private static EncoderProvenance provenance(Checkpoint c, EncoderHeader run) {
        EncoderProvenance finished = EncoderProvenance.fromJson(run.provenance());
        EncoderProvenance p = EncoderProvenance.fromCheckpoint(c, Map.of());
        return p.steps() == finished.steps() ? EncoderProvenance.fromCheckpoint(c, finished.probes()) : p;
    }
}
