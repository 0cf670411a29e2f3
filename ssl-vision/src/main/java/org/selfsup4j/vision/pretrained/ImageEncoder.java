package org.selfsup4j.vision.pretrained;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.encoder.CorruptEncoderFileException;
import org.selfsup4j.core.encoder.EncoderArrays;
import org.selfsup4j.core.encoder.EncoderFile;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.core.encoder.HeaderFields;
import org.selfsup4j.core.encoder.PretrainedEncoder;
import org.selfsup4j.vision.data.ImageDecodeException;
import org.selfsup4j.vision.data.ImageDecoder;
import org.selfsup4j.vision.encoders.Backbone;
import org.selfsup4j.vision.encoders.BackboneSpec;
import org.selfsup4j.vision.eval.Features;

/**
 * A pretrained image encoder loaded from an encoder file: images in, float vectors out, preprocessed
 * as the file says ({@link ImagePreprocessing}) and run through the backbone in evaluation mode
 * (batch norm with its running statistics), exactly as the probes of the training run saw them.
 *
 * <pre>{@code
 * ImageEncoder enc = ImageEncoder.load(Path.of("runs/simclr/encoder.selfsup4j"));
 * float[] e = enc.embed(ImageIO.read(new File("cat.png")));     // [featureDim]
 * float[][] es = enc.embed(List.of(img1, img2));                // [N][featureDim], batched forwards
 * }</pre>
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>input</th><th>output</th></tr>
 *   <tr><td>one image, any size, 1 or 3 channels</td><td>{@code float[featureDim()]}</td></tr>
 *   <tr><td>N images</td><td>{@code float[N][featureDim()]}, in input order</td></tr>
 * </table>
 *
 * <p>Thread-safe (calls are serialised: the backbone reuses its buffers). Not {@link AutoCloseable}:
 * its arrays are ordinary ND4J arrays, freed when it becomes unreachable. Evaluation-mode batch
 * norm treats every image on its own, so batching changes throughput, not the meaning of a vector.
 */
public final class ImageEncoder extends PretrainedEncoder<ImagePreprocessing> {
    private final BackboneSpec spec;
    private final Backbone backbone;
    private final ImageDecoder decoder;

    private ImageEncoder(Path file, EncoderHeader header, BackboneSpec spec, Backbone backbone,
            ImagePreprocessing preprocessing) {
        super(file, header, preprocessing, backbone.featureDim());
        this.spec = spec;
        this.backbone = backbone;
        this.decoder = preprocessing.channels() == 1 ? ImageDecoder.grayscale() : ImageDecoder.rgb();
    }

    /**
     * Reads an image encoder file and builds its backbone with the stored weights.
     *
     * @param file the encoder file
     * @return the encoder
     * @throws CorruptEncoderFileException when the file is damaged, not an image encoder, or its weights
     *                                     do not fit the backbone its header describes
     * @throws IOException                 when it cannot be read
     */
    public static ImageEncoder load(Path file) throws IOException {
        EncoderFile f = EncoderFile.read(file, EncoderHeader.IMAGE, "an image encoder",
                "the speech module's SpeechEncoder");
        EncoderHeader h = f.header();
        BackboneSpec spec = BackboneSpecJson.fromJson(new HeaderFields(file, "backbone", h.backbone()));
        ImagePreprocessing pre = ImagePreprocessing.fromJson(new HeaderFields(file, "preprocessing", h.preprocessing()));
        if (pre.channels() != spec.inChannels()) {
            throw new CorruptEncoderFileException(file, "header field 'preprocessing.channels' is " + pre.channels()
                    + " but 'backbone.inChannels' is " + spec.inChannels());
        }
        Backbone b = spec.build();
        f.assignTo(file, EncoderArrays.live("", b.module().parameters()), b.module().buffers());
        return new ImageEncoder(file, h, spec, b, pre);
    }

    /** @return the backbone's recipe as the file describes it */
    public BackboneSpec spec() {
        return spec;
    }

    /**
     * @param image an image (alpha ignored)
     * @return its embedding, {@code [featureDim()]}
     */
    public float[] embed(BufferedImage image) {
        return embedImages(List.of(toFloat(image)))[0];
    }

    /**
     * @param imageFile a PNG, JPEG, BMP or GIF file (read safely by {@link ImageDecoder})
     * @return its embedding
     * @throws ImageDecodeException when the file is not a readable image
     */
    public float[] embed(Path imageFile) throws ImageDecodeException {
        return embedImages(List.of(decoder.decode(imageFile)))[0];
    }

    /**
     * @param image samples in [0, 1], CHW
     * @return its embedding
     */
    public float[] embed(FloatImage image) {
        return embedImages(List.of(image))[0];
    }

    /**
     * @param images the images, any sizes
     * @return one embedding per image, in order; forwards of {@link Features#DEFAULT_BATCH} images
     */
    public float[][] embed(List<BufferedImage> images) {
        Checks.notNull("ImageEncoder.embed", "images", images);
        List<FloatImage> xs = new ArrayList<>(images.size());
        for (BufferedImage b : images) {
            xs.add(toFloat(b));
        }
        return embedImages(xs);
    }

    /**
     * @param imageFiles image files
     * @return one embedding per file, in order
     * @throws ImageDecodeException naming the first file that is not a readable image
     */
    public float[][] embedFiles(List<Path> imageFiles) throws ImageDecodeException {
        Checks.notNull("ImageEncoder.embedFiles", "imageFiles", imageFiles);
        List<FloatImage> xs = new ArrayList<>(imageFiles.size());
        for (Path p : imageFiles) {
            xs.add(decoder.decode(p));
        }
        return embedImages(xs);
    }

    /**
     * @param images samples in [0, 1], CHW, any sizes
     * @return one embedding per image, in order
     */
    public float[][] embedImages(List<FloatImage> images) {
        Checks.notNull("ImageEncoder.embedImages", "images", images);
        Checks.argument(!images.isEmpty(), "ImageEncoder.embedImages", "images must not be empty");
        List<FloatImage> xs = new ArrayList<>(images.size());
        for (FloatImage img : images) {
            xs.add(preprocessing().apply(img));
        }
        INDArray f;
        synchronized (this) {
            f = Features.extract(backbone.module(), xs, null, Features.DEFAULT_BATCH);
        }
        return f.toFloatMatrix();
    }

    private static FloatImage toFloat(BufferedImage image) {
        Checks.notNull("ImageEncoder.embed", "image", image);
        int w = image.getWidth();
        int h = image.getHeight();
        // getRGB converts every colour model to 8-bit sRGB, as ImageDecoder does for files
        return FloatImage.fromArgb(image.getRGB(0, 0, w, h, null, 0, w), h, w);
    }

    @Override
    public String toString() {
        return "ImageEncoder[" + file() + ", " + backbone.description() + ", " + preprocessing() + "]";
    }
}
