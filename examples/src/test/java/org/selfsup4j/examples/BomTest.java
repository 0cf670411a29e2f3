package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM has no parent (importing it must bring no build settings), so nothing ties its versions to
 * the reactor's but this test: the BOM, the consumer project and the README snippet must name the
 * reactor's version, and the BOM must list every library module.
 */
class BomTest {
    private static final List<String> LIBRARY_MODULES = List.of("ssl-core", "ssl-losses", "ssl-augment",
            "ssl-vision", "ssl-speech", "ssl-spark");

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("selfsup4j-bom"))) {
            p = p.getParent();
        }
        assertTrue(p != null, "BomTest: no selfsup4j-bom folder above " + Path.of("").toAbsolutePath());
        return p;
    }

    /** The first {@code <tag>value</tag>} after {@code after} in a POM. */
    private static String first(String xml, String tag, String after) {
        Matcher m = Pattern.compile("<" + tag + ">([^<]+)</" + tag + ">").matcher(xml);
        assertTrue(m.find(xml.indexOf(after)), "no <" + tag + "> after " + after);
        return m.group(1).strip();
    }

    @Test
    void bomConsumerAndReadme_nameTheReactorVersion_andTheBomListsEveryModule() throws IOException {
        Path root = root();
        String parent = Files.readString(root.resolve("pom.xml"));
        String version = first(parent, "version", "<artifactId>selfsup4j-parent</artifactId>");
        String bom = Files.readString(root.resolve("selfsup4j-bom/pom.xml"));
        assertEquals(version, first(bom, "version", "<artifactId>selfsup4j-bom</artifactId>"), "BOM version");
        assertEquals(version, first(bom, "selfsup4j.version", "<properties>"), "BOM selfsup4j.version");
        String consumer = Files.readString(root.resolve("examples/consumer/pom.xml"));
        assertEquals(version, first(consumer, "selfsup4j.version", "<properties>"), "consumer selfsup4j.version");
        assertTrue(Files.readString(root.resolve("README.md")).contains("<version>" + version + "</version>"),
                "README's dependency snippet must name version " + version);
        for (String module : LIBRARY_MODULES) {
            String artifact = first(Files.readString(root.resolve(module).resolve("pom.xml")), "artifactId",
                    "</parent>");
            assertTrue(bom.contains("<artifactId>" + artifact + "</artifactId>"), "BOM must list " + artifact);
            assertTrue(artifact.startsWith("selfsup4j-"), "artifactIds say whose they are, got " + artifact);
        }
    }
}
