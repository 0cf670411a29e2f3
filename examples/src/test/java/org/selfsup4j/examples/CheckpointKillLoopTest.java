package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short CI version of {@code scripts/kill-checkpoints.sh}: a few SIGKILLs at random points of a
 * child that checkpoints every step; the newest checkpoint must read every time and the next child
 * must resume from its step.
 */
class CheckpointKillLoopTest {
    @Test
    void randomKills_newestCheckpointAlwaysReadableAndResumable(@TempDir Path out) throws Exception {
        CheckpointKillLoop.Summary s = CheckpointKillLoop.loop(out, 6, 3, 300);
        System.out.println("CheckpointKillLoopTest: " + s.text());
        assertTrue(s.failures().isEmpty(), s.text());
        assertEquals(6, s.newestReadable(), s.text());
        assertEquals(6, s.resumedExactly(), s.text());
        assertTrue(s.lastStep() > 0, s.text());
    }
}
