package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointMetadata;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.examples.speech.SpeechPretrainExample;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Bad options and folders end quickly (before any data is read) with one line {@code error: ...}, no
 * stack trace, and the exit code of their kind; unexpected failures say to run with --verbose.
 */
class CommandLineErrorsTest {
    @TempDir
    Path tmp;

    /** Exit code and stderr of one run. */
    private record Outcome(int code, String err, double seconds) {
    }

    private static Outcome run(Object command, String... args) {
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        int code = ErrorHandler.commandLine(command, args).setErr(new PrintWriter(err, true)).execute(args);
        return new Outcome(code, err.toString(), (System.nanoTime() - t0) / 1e9);
    }

    private static void assertUserError(int expectedCode, String mentions, Outcome o) {
        assertEquals(expectedCode, o.code(), o.err());
        assertTrue(o.err().startsWith("error: "), o.err());
        assertTrue(o.err().contains(mentions), "the message should name " + mentions + ": " + o.err());
        assertFalse(o.err().contains("\tat ") || o.err().contains("Exception"), "no stack trace: " + o.err());
        assertTrue(o.err().lines().count() <= 2, "one line (and a --help hint for parse errors): " + o.err());
        assertTrue(o.seconds() < 2, "refused before any data is read, took " + o.seconds() + " s");
    }

    @Test
    void pretrain_badOptions_oneLineUsageErrorWithoutReadingData() {
        String out = tmp.resolve("out").toString();
        Map<String, List<String>> cases = new LinkedHashMap<>();
        cases.put("--batch-size", List.of("--batch-size", "0"));
        cases.put("--epochs", List.of("--epochs", "-1"));
        cases.put("--lr", List.of("--lr", "-1"));
        cases.put("--lr ", List.of("--lr", "NaN"));
        cases.put("--method", List.of("--method", "simclr2"));
        cases.put("--backbone", List.of("--backbone", "vgg"));
        cases.put("--minutes", List.of("--minutes", "-2"));
        cases.put("--width", List.of("--width", "0"));
        cases.put("--workers", List.of("--workers", "0"));
        cases.put("--checkpoint-every", List.of("--checkpoint-every", "-1"));
        cases.put("--curve-size", List.of("--curve-size", "0"));
        cases.put("exclude each other", List.of("--resume", "--overwrite"));
        cases.put("--bogus", List.of("--bogus"));
        cases.put("--epochs:", List.of("--epochs", "three"));
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
            List<String> args = new ArrayList<>(c.getValue());
            args.addAll(List.of("--out", out));
            assertUserError(ErrorHandler.USAGE, c.getKey().trim().replace(":", ""),
                    run(new PretrainExample(), args.toArray(String[]::new)));
        }
        assertFalse(Files.exists(tmp.resolve("out")), "nothing is written for a bad option");
    }

    @Test
    void pretrain_missingData_dataError() {
        assertUserError(ErrorHandler.DATA, "does not exist", run(new PretrainExample(), "--data",
                tmp.resolve("nope").toString(), "--out", tmp.resolve("out").toString()));
    }

    @Test
    void pretrain_outHoldingAnotherRun_refusedUnlessResumeOrOverwrite() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("old"));
        Files.writeString(out.resolve(RunFolder.RESULTS_FILE), "{\"steps\": 9}");
        assertUserError(ErrorHandler.USAGE, "--overwrite", run(new PretrainExample(), "--out", out.toString()));
        // a run without run.json cannot be resumed
        assertUserError(ErrorHandler.USAGE, "run.json", run(new PretrainExample(), "--out", out.toString(),
                "--resume"));
        // nothing to resume in an empty folder
        assertUserError(ErrorHandler.USAGE, "no run", run(new PretrainExample(), "--out",
                tmp.resolve("empty").toString(), "--resume"));
    }

    @Test
    void reevaluateAndResume_checkpointOfAnotherRun_refused() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("mixed"));
        String[] args = {"--out", out.toString(), "--epochs", "1"};
        PretrainExample ex = new PretrainExample();
        new CommandLine(ex).parseArgs(args);
        ex.validate();
        RunFolder run = RunFolder.open(out, PretrainExample.COMMAND, ex.runOptions(), RunFolder.Mode.NEW);
        Files.writeString(out.resolve(RunFolder.RESULTS_FILE), "{\"planned_steps\": 31, \"steps\": 31}");
        new CheckpointStore(run.checkpoints(), 3).save(31, new Checkpoint(Map.of("w", Nd4j.createFromArray(1f)),
                Map.of(CheckpointMetadata.RUN_ID, "another-run", "step", "31", "seed", "42")));
        for (String mode : List.of("--reevaluate", "--resume")) {
            List<String> a = new ArrayList<>(List.of(args));
            a.add(mode);
            assertUserError(ErrorHandler.USAGE, "another-run", run(new PretrainExample(), a.toArray(String[]::new)));
        }
        // options other than the run's are named
        assertUserError(ErrorHandler.USAGE, "epochs 1 (run) vs 2 (now)", run(new PretrainExample(), "--out",
                out.toString(), "--epochs", "2", "--resume"));
    }

    @Test
    void speech_badOptions_oneLineErrorWithoutReadingData() {
        String out = tmp.resolve("sp").toString();
        assertUserError(ErrorHandler.USAGE, "--method", run(new SpeechPretrainExample(), "--method", "bert", "--out",
                out));
        assertUserError(ErrorHandler.USAGE, "--batch", run(new SpeechPretrainExample(), "--method", "hubert",
                "--batch", "0", "--out", out));
        assertUserError(ErrorHandler.USAGE, "--lr", run(new SpeechPretrainExample(), "--method", "hubert", "--lr",
                "0", "--out", out));
        assertUserError(ErrorHandler.USAGE, "--minutes", run(new SpeechPretrainExample(), "--method", "hubert",
                "--minutes", "-1", "--out", out));
        assertUserError(ErrorHandler.USAGE, "--method", run(new SpeechPretrainExample(), "--out", out));
        assertUserError(ErrorHandler.DATA, "does not exist", run(new SpeechPretrainExample(), "--method", "hubert",
                "--data", tmp.resolve("nope").toString(), "--out", out));
    }

    /** A command that fails unexpectedly. */
    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Option(names = "--verbose")
        boolean verbose;

        @Override
        public Integer call() {
            throw new IllegalStateException("something broke");
        }
    }

    @Test
    void unexpectedFailure_oneLineAndHint_stackTraceOnlyWithVerbose() {
        Outcome quiet = run(new Boom());
        assertEquals(ErrorHandler.SOFTWARE, quiet.code());
        assertEquals("error: unexpected IllegalStateException: something broke\nrun with --verbose for the stack trace",
                quiet.err().strip());
        Outcome verbose = run(new Boom(), "--verbose");
        assertEquals(ErrorHandler.SOFTWARE, verbose.code());
        assertTrue(verbose.err().contains("\tat "), verbose.err());
    }
}
