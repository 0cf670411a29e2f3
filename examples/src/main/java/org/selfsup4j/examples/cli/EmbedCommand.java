package org.selfsup4j.examples.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code selfsup4j embed}: the embeddings of a folder of images or WAVs (or of one file) under an
 * encoder file, as a CSV or a {@code .npy} array ({@link EmbeddingsFile}), rows in the order of the
 * files' names relative to the folder. The encoder's modality, from its header, decides which files
 * are read.
 */
@Command(name = "embed",
        description = "Embeds a folder of images or WAVs (or one file) with an encoder file into a CSV or .npy file.",
        footer = {"", "--out by its extension: embeddings.csv (file,e0,...,e<dim-1>), or embeddings.npy (float32 "
                + "[n, dim]) plus embeddings.npy.files.txt with the file names in row order."})
final class EmbedCommand extends ToolCommand {
    @Mixin
    EncoderOption encoder;

    @Parameters(index = "0", paramLabel = "<input>", description = "a file, or a folder of files (subfolders "
            + "included): images for an image encoder, WAVs for a speech encoder")
    Path input;

    @Mixin
    OutFile outFile;

    @Override
    public Integer call() throws Exception {
        Path out = outFile.checked();
        EmbeddingsFile.Format.of(out); // a wrong name is refused before the encoder is read
        Embedder e = encoder.open();
        List<Path> files = InputFiles.list("", input, e);
        long t0 = System.nanoTime();
        EmbeddingsFile sink = EmbeddingsFile.open(out, files.size(), e.dim());
        try (sink) {
            e.embedInBatches(files, (i, row) -> sink.add(InputFiles.name(input, files.get(i)), row));
        }
        System.out.printf("Embedded %d %s files with %s (%s, %d dimensions) in %.1f s: %s%n", files.size(),
                e.inputKind(), encoder.file, e.modality(), e.dim(), (System.nanoTime() - t0) / 1e9,
                String.join(" and ", sink.targets().stream().map(Path::toString).toList()));
        return 0;
    }
}
