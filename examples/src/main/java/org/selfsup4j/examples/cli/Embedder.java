package org.selfsup4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.examples.UserError;
import org.selfsup4j.speech.pretrained.SpeechEncoder;
import org.selfsup4j.vision.data.ImageDecodeException;
import org.selfsup4j.vision.pretrained.ImageEncoder;

/**
 * An encoder file opened for the {@code embed} and {@code evaluate} commands, whatever its modality:
 * which input files it reads (by name ending) and their embeddings, batch by batch.
 *
 * @param modality   the encoder file's modality, {@link EncoderHeader#IMAGE} or {@link EncoderHeader#SPEECH}
 * @param inputKind  what the inputs are, for messages, e.g. {@code "image"}
 * @param extensions lower-case name endings of the files it reads, e.g. {@code .png}
 * @param dim        the length of every embedding
 * @param batch      the library encoder's batch variant on files
 */
record Embedder(String modality, String inputKind, List<String> extensions, int dim, Batch batch) {
    /** Files per call of {@link Batch#embed}: the commands feed the library's batch variants this many at a time. */
    static final int BATCH = 256;

    /** The endings {@link org.selfsup4j.vision.data.ImageDecoder} reads, as the image folders of training. */
    static final List<String> IMAGE_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /** A library encoder's batch variant, on files. */
    @FunctionalInterface
    interface Batch {
        /**
         * @param files input files of {@link #extensions()}, at least one
         * @return one embedding per file, in order
         * @throws IOException          when a file cannot be read (an undecodable WAV raises
         *                              {@link org.selfsup4j.speech.io.WavFormatException}, naming it)
         * @throws ImageDecodeException naming an image file that does not decode
         */
        float[][] embed(List<Path> files) throws IOException, ImageDecodeException;
    }

    /** Receives embeddings in input order. */
    @FunctionalInterface
    interface Rows {
        /**
         * @param index     the input's position in the list given to {@link #embedInBatches}
         * @param embedding its embedding
         */
        void accept(int index, float[] embedding) throws IOException;
    }

    /**
     * Opens an encoder file; its modality comes from its own header.
     *
     * @param file the encoder file ({@code --encoder})
     * @return the encoder of that modality
     * @throws UserError   when the file does not exist or is a folder
     * @throws IOException when it is not a readable encoder file
     *                     ({@link org.selfsup4j.core.encoder.CorruptEncoderFileException}, naming it)
     */
    static Embedder open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw UserError.data("--encoder " + file + (Files.isDirectory(file)
                    ? " is a folder, expected an encoder file (e.g. <run>/" + EncoderFile.DEFAULT_FILE_NAME + ")"
                    : " does not exist"), null);
        }
        // The header says which loader applies; reading the file twice costs less than a guess, whose
        // refusal would have to be told apart from a damaged file.
        if (EncoderHeader.IMAGE.equals(EncoderFile.read(file).header().modality())) {
            ImageEncoder enc = ImageEncoder.load(file);
            return new Embedder(EncoderHeader.IMAGE, "image", IMAGE_EXTENSIONS, enc.featureDim(), enc::embedFiles);
        }
        SpeechEncoder enc = SpeechEncoder.load(file);
        return new Embedder(EncoderHeader.SPEECH, "WAV", List.of(".wav"), enc.featureDim(), new WavBatch(enc));
    }

    /**
     * Embeds any number of files, {@link #BATCH} per call of the library's batch variant, so that
     * memory holds one batch of decoded inputs at a time.
     *
     * @param files the inputs
     * @param rows  where each embedding goes, in order
     */
    void embedInBatches(List<Path> files, Rows rows) throws IOException, ImageDecodeException {
        for (int start = 0; start < files.size(); start += BATCH) {
            float[][] out = batch.embed(files.subList(start, Math.min(files.size(), start + BATCH)));
            for (int i = 0; i < out.length; i++) {
                rows.accept(start + i, out[i]);
            }
        }
    }

    /**
     * @param files the inputs
     * @return their embeddings, {@code [files.size()][dim()]}, batched as {@link #embedInBatches}
     */
    float[][] embedAll(List<Path> files) throws IOException, ImageDecodeException {
        float[][] out = new float[files.size()][];
        embedInBatches(files, (i, e) -> out[i] = e);
        return out;
    }
}
