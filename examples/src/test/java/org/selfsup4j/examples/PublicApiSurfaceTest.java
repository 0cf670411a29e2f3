package org.selfsup4j.examples;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the library's public face. {@code public-api.txt} beside this test names the API packages
 * (every public type in them is API) and, one by one with a reason, the public types that live
 * outside them (kernels and other module-to-module helpers, public only because Java has no access
 * level between Maven modules). A new public type outside the API packages fails here until it is
 * made package-private or listed on purpose; a listed type that is gone, no longer public or inside
 * an API package fails too, so the list stays true. Packages named {@code internal} may be used only
 * by their own module: an import or a fully qualified reference from another module's sources (main
 * or test, benchmarks and examples included) fails.
 *
 * <p>Scanned from the sources, which the reactor build has beside this module: a compiled-class scan
 * would need every module's jar on this test's class path and would still miss test sources.
 */
class PublicApiSurfaceTest {
    private static final List<String> LIBRARY_MODULES = List.of("ssl-core", "ssl-losses", "ssl-augment",
            "ssl-vision", "ssl-speech");
    private static final List<String> ALL_MODULES = List.of("ssl-core", "ssl-losses", "ssl-augment",
            "ssl-vision", "ssl-speech", "benchmarks", "examples");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);
    // Top-level types only: nested ones are indented, and their access is bounded by the outer type's.
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "^public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp|static)\\s+)*"
                    + "(?:class|interface|enum|record|@interface)\\s+(\\w+)", Pattern.MULTILINE);
    // A package with an "internal" segment, as named in an import or a fully qualified reference.
    private static final Pattern INTERNAL_REF = Pattern.compile(
            "\\borg\\.selfsup4j(?:\\.[a-z_]\\w*)*?\\.internal(?:\\.[a-z_]\\w*)*");
    // Comments and literals, blanked before looking for references: a javadoc mention is no dependency.
    private static final Pattern COMMENTS_AND_LITERALS = Pattern.compile(
            "//[^\\n]*|/\\*.*?\\*/|\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])+'", Pattern.DOTALL);

    private static Path root;
    /** library module -> files of src/main/java. */
    private static final Map<String, List<Path>> LIBRARY_SOURCES = new TreeMap<>();
    /** every module -> files of all its source roots (main, test, jmh...). */
    private static final Map<String, List<Path>> ALL_SOURCES = new TreeMap<>();
    private static final Set<String> API_PACKAGES = new TreeSet<>();
    private static final Set<String> LISTED_TYPES = new TreeSet<>();
    private static final List<String> LISTED_WITHOUT_REASON = new ArrayList<>();

    @BeforeAll
    static void scan() throws IOException {
        root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("ssl-core"))) {
            root = root.getParent();
        }
        assertNotNull(root, "PublicApiSurfaceTest: no ssl-core folder above " + Path.of("").toAbsolutePath());
        for (String m : ALL_MODULES) {
            Path src = root.resolve(m).resolve("src");
            if (Files.isDirectory(src)) {
                ALL_SOURCES.put(m, javaFiles(src));
            }
        }
        for (String m : LIBRARY_MODULES) {
            LIBRARY_SOURCES.put(m, javaFiles(root.resolve(m).resolve("src/main/java")));
        }
        try (InputStream in = PublicApiSurfaceTest.class.getResourceAsStream("public-api.txt")) {
            assertNotNull(in, "PublicApiSurfaceTest: public-api.txt missing beside the test");
            for (String raw : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int hash = raw.indexOf('#');
                String line = (hash < 0 ? raw : raw.substring(0, hash)).strip();
                String reason = hash < 0 ? "" : raw.substring(hash + 1).strip();
                if (line.startsWith("api ")) {
                    API_PACKAGES.add(line.substring(4).strip());
                } else if (!line.isEmpty()) {
                    LISTED_TYPES.add(line);
                    if (reason.isEmpty()) {
                        LISTED_WITHOUT_REASON.add(line);
                    }
                }
            }
        }
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    private static String packageOf(String text) {
        Matcher pkg = PACKAGE.matcher(text);
        return pkg.find() ? pkg.group(1) : "";
    }

    /** Fully qualified name of every public top-level type of the library modules. */
    private static Set<String> publicTypes() throws IOException {
        Set<String> out = new TreeSet<>();
        for (List<Path> files : LIBRARY_SOURCES.values()) {
            for (Path f : files) {
                String text = Files.readString(f);
                Matcher type = PUBLIC_TYPE.matcher(text);
                if (type.find()) {
                    out.add(packageOf(text) + "." + type.group(1));
                }
            }
        }
        return out;
    }

    private static String packageOfType(String type) {
        return type.substring(0, type.lastIndexOf('.'));
    }

    @Test
    void publicTypesOutsideApiPackages_areListed() throws IOException {
        List<String> unlisted = new ArrayList<>();
        for (String t : publicTypes()) {
            if (!API_PACKAGES.contains(packageOfType(t)) && !LISTED_TYPES.contains(t)) {
                unlisted.add(t);
            }
        }
        if (!unlisted.isEmpty()) {
            fail("public types outside the API packages that public-api.txt does not list: " + unlisted
                    + ". Make them package-private, or list them there on purpose with a # reason.");
        }
    }

    @Test
    void listedTypes_arePublicOutsideApiPackages_withReason_andApiPackagesExist() throws IOException {
        Set<String> types = publicTypes();
        List<String> wrong = new ArrayList<>();
        for (String t : LISTED_TYPES) {
            if (!types.contains(t)) {
                wrong.add(t + " (not a public type of the library)");
            } else if (API_PACKAGES.contains(packageOfType(t))) {
                wrong.add(t + " (in an API package: no need to list it)");
            }
        }
        LISTED_WITHOUT_REASON.forEach(t -> wrong.add(t + " (no # reason)"));
        Set<String> packages = new TreeSet<>();
        types.forEach(t -> packages.add(packageOfType(t)));
        for (String p : API_PACKAGES) {
            if (!packages.contains(p)) {
                wrong.add("api " + p + " (no public type there)");
            }
            if (p.contains(".internal")) {
                wrong.add("api " + p + " (an internal package cannot be API)");
            }
        }
        if (!wrong.isEmpty()) {
            fail("public-api.txt is out of date: " + wrong);
        }
    }

    @Test
    void internalPackages_areUsedOnlyByTheirOwnModule() throws IOException {
        // The module that owns a package is the one whose main sources declare it.
        Map<String, String> owner = new TreeMap<>();
        for (Map.Entry<String, List<Path>> e : ALL_SOURCES.entrySet()) {
            for (Path f : e.getValue()) {
                if (f.startsWith(root.resolve(e.getKey()).resolve("src/main"))) {
                    owner.putIfAbsent(packageOf(Files.readString(f)), e.getKey());
                }
            }
        }
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : ALL_SOURCES.entrySet()) {
            for (Path f : e.getValue()) {
                String code = COMMENTS_AND_LITERALS.matcher(Files.readString(f)).replaceAll(" ");
                Matcher ref = INTERNAL_REF.matcher(code);
                while (ref.find()) {
                    String pkg = ref.group();
                    String own = owner.get(pkg);
                    if (!e.getKey().equals(own)) {
                        leaks.add(root.relativize(f) + " uses " + pkg + " (of " + (own == null ? "no module" : own)
                                + ")");
                    }
                }
            }
        }
        if (!leaks.isEmpty()) {
            fail("internal packages used from another module: " + leaks);
        }
    }

    @Test
    void everyLibraryPackage_hasPackageInfo() {
        List<String> missing = new ArrayList<>();
        for (List<Path> files : LIBRARY_SOURCES.values()) {
            Set<Path> dirs = new TreeSet<>();
            files.forEach(f -> dirs.add(f.getParent()));
            for (Path d : dirs) {
                if (!Files.exists(d.resolve("package-info.java"))) {
                    missing.add(root.relativize(d).toString());
                }
            }
        }
        assertTrue(missing.isEmpty(), "packages without package-info.java (say the package's job): " + missing);
    }
}
