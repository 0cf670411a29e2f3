package org.selfsup4j.speech.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The rows of an audio manifest (see {@link AudioFolderDataset#fromManifest}): a header line naming the
 * columns, then one file per line. Fields may be double-quoted (a doubled quote inside stands for one),
 * which is how spreadsheets write paths with commas; blank lines and lines starting with {@code #} are
 * skipped.
 */
final class ManifestReader {
    /** The required column. */
    static final String PATH = "path";
    /** The optional label column. */
    static final String LABEL = "label";

    /** One row: the resolved file, its label (empty when none) and its other non-empty cells. */
    record Row(Path path, String label, Map<String, String> groups) {
    }

    private ManifestReader() {
    }

    static List<Row> read(Path manifest) throws IOException {
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        int h = 0;
        while (h < lines.size() && skip(lines.get(h))) {
            h++;
        }
        if (h == lines.size()) {
            throw new IOException("manifest " + manifest + " is empty: expected a header line with the columns "
                    + "path,label,speaker,split");
        }
        String header = lines.get(h).startsWith("\uFEFF") ? lines.get(h).substring(1) : lines.get(h);
        char sep = manifest.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv")
                || header.indexOf('\t') >= 0 ? '\t' : ',';
        List<String> columns = new ArrayList<>();
        for (String c : fields(header, sep, manifest, h + 1)) {
            columns.add(c.strip().toLowerCase(Locale.ROOT));
        }
        int pathCol = columns.indexOf(PATH);
        if (pathCol < 0) {
            throw new IOException("manifest " + manifest + ": the header must name a 'path' column, got " + columns);
        }
        Path dir = manifest.toAbsolutePath().getParent();
        List<Row> rows = new ArrayList<>();
        for (int i = h + 1; i < lines.size(); i++) {
            if (skip(lines.get(i))) {
                continue;
            }
            List<String> f = fields(lines.get(i), sep, manifest, i + 1);
            if (f.size() != columns.size()) {
                throw new IOException("manifest " + manifest + " line " + (i + 1) + ": expected " + columns.size()
                        + " fields " + columns + ", got " + f.size());
            }
            Map<String, String> groups = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                String v = f.get(c).strip();
                if (c != pathCol && !columns.get(c).equals(LABEL) && !v.isEmpty()) {
                    groups.put(columns.get(c), v);
                }
            }
            String rel = f.get(pathCol).strip();
            Path p = dir.resolve(rel).normalize();
            if (rel.isEmpty() || !Files.isRegularFile(p)) {
                throw new NoSuchFileException(p.toString(), null, "listed in manifest " + manifest + " line " + (i + 1));
            }
            int labelCol = columns.indexOf(LABEL);
            rows.add(new Row(p, labelCol < 0 ? AudioFolderDataset.NO_LABEL : f.get(labelCol).strip(), groups));
        }
        return rows;
    }

    private static boolean skip(String line) {
        return line.isBlank() || line.startsWith("#");
    }

    /** Splits one line at {@code sep}, honouring double quotes. */
    static List<String> fields(String line, char sep, Path manifest, int lineNo) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == sep) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (quoted) {
            throw new IOException("manifest " + manifest + " line " + lineNo + ": a quoted field is not closed");
        }
        out.add(cur.toString());
        return out;
    }
}
