package org.selfsup4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The softmax losses' vector exp gives the same bits interpreted as JIT-compiled. The JDK's own
 * Vector API {@code EXP} did not (Java fallback before compilation, SVML after), so a resumed
 * process, which runs its first steps in the interpreter, drifted from the uninterrupted run.
 */
class ExpRowSumsJitTest {
    @Test
    void expRowSums_sameBits_interpretedInAChildJvm_andCompiledHere() throws IOException, InterruptedException {
        long compiled = 0;
        for (int i = 0; i < 3000; i++) {
            compiled = ExpRowSumsProbe.hash();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), ExpRowSumsProbe.class.getName()))
                .redirectErrorStream(true).start();
        boolean done = child.waitFor(120, TimeUnit.SECONDS);
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            child.destroyForcibly();
        }
        assertEquals(0, done ? child.exitValue() : -1, "child JVM: " + out);
        String[] lines = out.strip().split("\\R");
        assertEquals(compiled, Long.parseLong(lines[lines.length - 1].strip()), "interpreted vs compiled bits; child said: " + out);
    }
}
