package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointStore;

class RunFolderTest {
    @TempDir
    Path tmp;

    private static final Map<String, String> OPTIONS = Map.of("method", "simclr", "epochs", "2");

    @Test
    void open_new_writesRunJsonWithIdAndRefusesASecondRun() throws IOException {
        RunFolder a = RunFolder.open(tmp, "pretrain", OPTIONS, RunFolder.Mode.NEW);
        Map<String, Object> json = ResultsFile.read(tmp.resolve(RunFolder.RUN_FILE));
        assertEquals(a.runId(), json.get("run_id"));
        assertEquals(RunFolder.RUNNING, json.get("status"));
        assertEquals(a.runId(), a.checkpointMetadata().get("run.id"));
        UserError e = assertThrows(UserError.class, () -> RunFolder.open(tmp, "pretrain", OPTIONS, RunFolder.Mode.NEW));
        assertEquals(ErrorHandler.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(a.runId()), e.getMessage());
    }

    @Test
    void open_resume_keepsIdAndNamesDifferingOptions() throws IOException {
        RunFolder a = RunFolder.open(tmp, "pretrain", OPTIONS, RunFolder.Mode.NEW);
        assertEquals(a.runId(), RunFolder.open(tmp, "pretrain", OPTIONS, RunFolder.Mode.RESUME).runId());
        UserError e = assertThrows(UserError.class, () -> RunFolder.open(tmp, "pretrain",
                Map.of("method", "simclr", "epochs", "3"), RunFolder.Mode.RESUME));
        assertTrue(e.getMessage().contains("epochs 2 (run) vs 3 (now)"), e.getMessage());
        assertThrows(UserError.class, () -> RunFolder.open(tmp, "speech-pretrain", OPTIONS, RunFolder.Mode.RESUME));
    }

    @Test
    void open_overwrite_deletesTheOldRunsFilesAndDrawsANewId() throws IOException {
        RunFolder a = RunFolder.open(tmp, "pretrain", OPTIONS, RunFolder.Mode.NEW);
        CheckpointStore store = new CheckpointStore(a.checkpoints(), 3);
        store.save(7, new Checkpoint(Map.of("w", Nd4j.createFromArray(1f)), Map.of("step", "7")));
        Files.writeString(tmp.resolve(RunFolder.RESULTS_FILE), "{}");
        Files.writeString(tmp.resolve("notes.txt"), "mine");
        RunFolder b = RunFolder.open(tmp, "pretrain", OPTIONS, RunFolder.Mode.OVERWRITE);
        assertNotEquals(a.runId(), b.runId());
        assertEquals(List.of(), store.list(), "the old run's checkpoints are gone");
        assertFalse(Files.exists(tmp.resolve(RunFolder.RESULTS_FILE)));
        assertTrue(Files.exists(tmp.resolve("notes.txt")), "files a run does not write are left alone");
    }

    @Test
    void open_removesTemporaryFilesOfKilledWrites() throws IOException {
        Files.writeString(tmp.resolve(".results.json.tmp"), "{\"trunc");
        Files.createDirectories(tmp.resolve(RunFolder.CHECKPOINTS));
        Files.write(tmp.resolve(RunFolder.CHECKPOINTS).resolve(".step-00000003.ckpt.ab12.tmp"), new byte[10]);
        RunFolder.open(tmp, "pretrain", OPTIONS, RunFolder.Mode.NEW);
        assertFalse(Files.exists(tmp.resolve(".results.json.tmp")));
        assertFalse(Files.exists(tmp.resolve(RunFolder.CHECKPOINTS).resolve(".step-00000003.ckpt.ab12.tmp")));
    }

    @Test
    void firstFree_skipsFoldersHoldingARun() throws IOException {
        Path base = tmp.resolve("simclr");
        assertEquals(base, RunFolder.firstFree(base));
        RunFolder.open(base, "pretrain", OPTIONS, RunFolder.Mode.NEW);
        assertEquals(tmp.resolve("simclr-2"), RunFolder.firstFree(base));
    }

    @Test
    void resultsFile_write_isAtomic_failedWriteLeavesThePreviousFile() throws IOException {
        Path file = tmp.resolve("results.json");
        ResultsFile.write(file, Map.of("steps", 1));
        // a folder where the temporary file would go makes the write fail before the rename
        Files.createDirectories(tmp.resolve(".results.json" + ResultsFile.TEMP_SUFFIX));
        assertThrows(IOException.class, () -> ResultsFile.write(file, Map.of("steps", 2)));
        assertEquals(1, ((Number) ResultsFile.read(file).get("steps")).intValue());
    }
}
