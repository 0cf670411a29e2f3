package org.selfsup4j.examples;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts a main class of this module in a child JVM with this JVM's Java and classpath, the Vector API module and the native-cache, thread, convolution-path and --add-opens settings of this JVM. */
final class ChildProcess {
    private ChildProcess() {
    }

    /**
     * @param mainClass the class to run
     * @param log where the child's stdout and stderr go
     * @param args its arguments
     * @return the started process
     */
    static Process start(Class<?> mainClass, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        for (String p : List.of("org.bytedeco.javacpp.cachedir", "selfsup4j.threads", "selfsup4j.conv",
                "org.slf4j.simpleLogger.defaultLogLevel")) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        // this JVM's --add-opens (Spark's, when a test runs pretrain --spark in the child)
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect.")) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }
}
