package org.selfsup4j.examples.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.selfsup4j.core.encoder.EncoderProvenance;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code --version} prints: {@code selfsup4j <version>}, plus {@code (commit <sha>)} when the
 * commit is known ({@link EncoderProvenance#currentCommit()}: the {@code ./selfsup4j} and
 * {@code ./pretrain} scripts set it from git).
 *
 * <p>The version comes from {@code selfsup4j-version.properties}, which Maven's resource filtering
 * fills with {@code ${project.version}}: unlike the jar manifest's {@code Implementation-Version} it
 * is also there when the classes run from {@code target/classes} (tests, an IDE).
 */
final class Version implements IVersionProvider {
    /** The resource beside this class. */
    static final String RESOURCE = "selfsup4j-version.properties";

    /** @return the project version, or {@value EncoderProvenance#UNKNOWN} when the resource was not filtered */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the class path", e);
        }
        String v = p.getProperty("version", "");
        // an unfiltered copy (a build that skipped process-resources) still holds the placeholder
        return v.isBlank() || v.startsWith("${") ? EncoderProvenance.UNKNOWN : v.trim();
    }

    /** @return {@code selfsup4j <version>}, with {@code (commit <sha>)} when known */
    static String line() {
        String commit = EncoderProvenance.currentCommit();
        return "selfsup4j " + version() + (EncoderProvenance.UNKNOWN.equals(commit) ? "" : " (commit " + commit + ")");
    }

    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }
}
