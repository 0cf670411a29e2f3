package org.selfsup4j.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointFormat;
import org.selfsup4j.examples.ErrorHandler;

/**
 * The {@code selfsup4j} program's face: {@code --version} on the program and its commands, the command
 * list of {@code --help}, no command as a usage error, and the one-line errors of the encoder tools
 * with the exit codes of {@link ErrorHandler}, all before any encoder or data is read.
 */
class Selfsup4jProgramTest {
    static final List<String> COMMANDS = List.of("pretrain", "pretrain-speech", "embed", "evaluate", "export",
            "inspect");

    @TempDir
    Path tmp;

    /** The version of examples/pom.xml's parent, which the filtered resource must carry. */
    private static String pomVersion() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>.*?</parent>", Pattern.DOTALL).matcher(pom);
        assertTrue(m.find(), "examples/pom.xml has a parent version");
        return m.group(1).trim();
    }

    @Test
    void version_onProgramAndCommands_printsThePomVersion() throws Exception {
        String expected = "selfsup4j " + pomVersion();
        for (List<String> args : List.of(List.of("--version"), List.of("pretrain", "--version"),
                List.of("pretrain-speech", "--version"), List.of("embed", "--version"), List.of("inspect", "-V"))) {
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.code(), args + ": " + r.err());
            assertTrue(r.out().strip().startsWith(expected), args + " printed '" + r.out() + "', expected " + expected);
        }
    }

    @Test
    void help_listsTheSixCommandsWithADescriptionEach() {
        CliRun r = CliRun.of("--help");
        assertEquals(0, r.code(), r.err());
        for (String c : COMMANDS) {
            Matcher m = Pattern.compile("(?m)^\\s+" + Pattern.quote(c) + "\\s+(\\S.*)$").matcher(r.out());
            assertTrue(m.find(), "--help lists " + c + " with a description: " + r.out());
            CliRun help = CliRun.of(c, "--help");
            assertEquals(0, help.code(), help.err());
            assertTrue(help.out().startsWith("Usage: selfsup4j " + c + " "), help.out());
        }
    }

    @Test
    void noCommand_printsUsageAndExits2() {
        CliRun r = CliRun.of();
        assertEquals(ErrorHandler.USAGE, r.code());
        assertTrue(r.err().startsWith("error: no command given"), r.err());
        assertTrue(r.err().contains("Usage: selfsup4j"), r.err());
    }

    @Test
    void embed_missingEncoderFile_dataErrorNamingIt() {
        Path missing = tmp.resolve("no-such.selfsup4j");
        CliRun r = CliRun.of("embed", "--encoder", missing.toString(), tmp.toString(), "--out",
                tmp.resolve("e.csv").toString());
        assertOneLineError(ErrorHandler.DATA, missing.toString(), r);
    }

    @Test
    void subcommand_verbose_addsTheStackTrace() {
        CliRun r = CliRun.of("embed", "--verbose", "--encoder", tmp.resolve("no-such.selfsup4j").toString(),
                tmp.toString(), "--out", tmp.resolve("e.csv").toString());
        assertEquals(ErrorHandler.DATA, r.code(), r.err());
        assertTrue(r.err().startsWith("error: --encoder "), r.err());
        assertTrue(r.err().contains("\tat org.selfsup4j.examples.cli.Embedder.open"), r.err());
    }

    @Test
    void embed_unknownOutExtension_usageErrorBeforeTheEncoderIsRead() {
        CliRun r = CliRun.of("embed", "--encoder", tmp.resolve("no-such.selfsup4j").toString(), tmp.toString(),
                "--out", tmp.resolve("e.txt").toString());
        assertOneLineError(ErrorHandler.USAGE, "'.txt'", r);
    }

    @Test
    void evaluate_andEmbed_aCheckpointAsEncoder_dataErrorNamingTheFile() throws Exception {
        Path ckpt = tmp.resolve("step-1.ckpt");
        CheckpointFormat.write(ckpt, new Checkpoint(Map.of("w", Nd4j.createFromArray(1f)), Map.of("step", "1")));
        CliRun r = CliRun.of("evaluate", "--encoder", ckpt.toString(), "--data", tmp.toString());
        assertOneLineError(ErrorHandler.DATA, ckpt.toString(), r);
        assertTrue(r.err().contains("exported to an encoder file"), r.err());
        Path notes = Files.writeString(tmp.resolve("notes.txt"), "not a checkpoint, long enough to have a header");
        assertOneLineError(ErrorHandler.DATA, notes.toString(), CliRun.of("inspect", notes.toString()));
    }

    @Test
    void export_andInspect_missingSource_dataErrorNamingIt() {
        Path missing = tmp.resolve("run-that-is-not");
        assertOneLineError(ErrorHandler.DATA, missing.toString(), CliRun.of("export", missing.toString(), "--out",
                tmp.resolve("e.selfsup4j").toString()));
        assertOneLineError(ErrorHandler.DATA, "holds no valid checkpoint", CliRun.of("export", tmp.toString(), "--out",
                tmp.resolve("e.selfsup4j").toString()));
    }

    @Test
    void subcommand_badOption_isAUsageErrorOfTheSubcommand() {
        CliRun r = CliRun.of("evaluate", "--bogus");
        assertEquals(ErrorHandler.USAGE, r.code(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    static void assertOneLineError(int code, String mentions, CliRun r) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().contains(mentions), "the message should name " + mentions + ": " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
    }
}
