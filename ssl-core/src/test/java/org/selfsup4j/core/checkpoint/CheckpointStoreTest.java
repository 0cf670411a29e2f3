package org.selfsup4j.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointStoreTest {
    @TempDir
    Path tmp;

    private static Checkpoint at(long step) {
        return new Checkpoint(Map.of("w", Nd4j.createFromArray((float) step, -1f)),
                Map.of(CheckpointMetadata.STEP, Long.toString(step)));
    }

    private static long stepOf(Checkpoint c) {
        return Long.parseLong(c.metadata().get(CheckpointMetadata.STEP));
    }

    @Test
    void save_namesFilesByStepAndListsOldestFirst() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("run"), 10);
        store.save(100, at(100));
        store.save(5, at(5));
        store.save(20, at(20));
        assertEquals(List.of("step-00000005.ckpt", "step-00000020.ckpt", "step-00000100.ckpt"),
                store.list().stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(tmp.resolve("run/step-00000100.ckpt"), store.latest().orElseThrow());
        assertEquals(100, stepOf(store.loadLatest().orElseThrow()));
        assertEquals(5, stepOf(store.load(store.list().get(0))));
    }

    @Test
    void save_keepsOnlyNewestKeepLast() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 3);
        for (long s = 1; s <= 7; s++) {
            store.save(s * 10, at(s * 10));
            assertEquals(Math.min(s, 3), store.list().size(), "after step " + s * 10);
        }
        assertEquals(List.of("step-00000050.ckpt", "step-00000060.ckpt", "step-00000070.ckpt"),
                store.list().stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void loadLatest_corruptNewest_returnsPrevious() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 5);
        store.save(1, at(1));
        store.save(2, at(2));
        Path newest = store.save(3, at(3));
        byte[] b = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(b, b.length / 2));
        assertEquals(newest, store.latest().orElseThrow(), "latest() does not verify");
        assertEquals(2, stepOf(store.loadLatest().orElseThrow()));
        assertThrows(CorruptCheckpointException.class, () -> store.load(newest));
    }

    @Test
    void loadLatest_allCorruptOrNone_isEmpty() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("absent"), 2);
        assertEquals(List.of(), store.list());
        assertEquals(Optional.empty(), store.latest());
        assertEquals(Optional.empty(), store.loadLatest());
        Files.createDirectories(store.dir());
        Files.writeString(store.dir().resolve(CheckpointStore.fileName(9)), "garbage");
        assertEquals(Optional.empty(), store.loadLatest());
    }

    @Test
    void crashLeftovers_tempFileAndStrangers_areIgnored() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        store.save(10, at(10));
        // A crash between creating the temp file and the rename leaves a partial ".step-...tmp".
        Path leftover = tmp.resolve(".step-00000020.ckpt.5f3a9c" + CheckpointFormat.TEMP_SUFFIX);
        byte[] b = Files.readAllBytes(store.latest().orElseThrow());
        Files.write(leftover, java.util.Arrays.copyOf(b, 40));
        Files.writeString(tmp.resolve("notes.txt"), "hello");
        Files.createDirectory(tmp.resolve("step-00000099.ckpt"));
        assertEquals(List.of(tmp.resolve("step-00000010.ckpt")), store.list());
        assertEquals(10, stepOf(store.loadLatest().orElseThrow()));
        store.save(30, at(30));
        store.save(40, at(40));
        assertEquals(2, store.list().size());
        assertTrue(Files.exists(leftover), "foreign files are never deleted");
        assertEquals(40, stepOf(store.loadLatest().orElseThrow()));
    }

    @Test
    void save_sameStepTwice_replaces() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 1);
        store.save(7, at(7));
        store.save(7, new Checkpoint(Map.of(), Map.of(CheckpointMetadata.STEP, "7", "again", "yes")));
        assertEquals(1, store.list().size());
        assertEquals("yes", store.loadLatest().orElseThrow().metadata().get("again"));
    }

    @Test
    void badArguments_throw() {
        var e = assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(tmp, 0));
        assertTrue(e.getMessage().contains("keepLast"), e.getMessage());
        CheckpointStore store = new CheckpointStore(tmp, 1);
        assertThrows(IllegalArgumentException.class, () -> store.save(-1, at(1)));
    }

    @Test
    void removeStrayTemporaries_deletesOnlyKilledSavesTempFiles() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 3);
        store.save(10, at(10));
        Path leftover = tmp.resolve(".step-00000020.ckpt.5f3a9c" + CheckpointFormat.TEMP_SUFFIX);
        Files.write(leftover, new byte[] {1, 2, 3});
        Path notOurs = tmp.resolve("notes.tmp");
        Files.writeString(notOurs, "hello");
        assertEquals(1, store.removeStrayTemporaries());
        assertTrue(Files.notExists(leftover), "the killed save's temporary file is removed");
        assertTrue(Files.exists(notOurs), "files the store did not write are left alone");
        assertEquals(10, stepOf(store.loadLatest().orElseThrow()));
        assertEquals(0, new CheckpointStore(tmp.resolve("absent"), 1).removeStrayTemporaries());
    }
}
