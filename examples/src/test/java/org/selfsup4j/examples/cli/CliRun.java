package org.selfsup4j.examples.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * One in-process run of the {@code selfsup4j} program for tests: its exit code, what it printed
 * (picocli's writer and {@code System.out}, where the commands print their results) and its stderr.
 *
 * @param code the exit code
 * @param out  stdout
 * @param err  stderr
 */
record CliRun(int code, String out, String err) {
    /** Runs {@link Selfsup4j#commandLine} with {@code args}, capturing its output. */
    static synchronized CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ByteArrayOutputStream sysout = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(sysout, true, StandardCharsets.UTF_8));
        try {
            CommandLine cl = Selfsup4j.commandLine(args).setOut(new PrintWriter(out, true))
                    .setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            System.out.flush();
            return new CliRun(code, out + sysout.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }
}
