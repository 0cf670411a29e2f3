package org.selfsup4j.examples;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/** A tiny image folder for command-line tests (this package and the cli one): class subfolders of small random-coloured PNGs. */
public final class TinyImages {
    private TinyImages() {
    }

    /**
     * Writes {@code classes} subfolders of {@code perClass} {@code size x size} PNGs under {@code dir};
     * class c is a bright square at a class-dependent corner on noise, so the set is learnable.
     *
     * @return {@code dir}
     */
    public static Path write(Path dir, int classes, int perClass, int size, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int c = 0; c < classes; c++) {
            Path cls = Files.createDirectories(dir.resolve("class" + c));
            for (int i = 0; i < perClass; i++) {
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
                int ox = (c % 3) * size / 3;
                int oy = (c / 3 % 3) * size / 3;
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        boolean in = x >= ox && x < ox + size / 3 && y >= oy && y < oy + size / 3;
                        int v = in ? 200 + rng.nextInt(56) : rng.nextInt(80);
                        img.setRGB(x, y, (v << 16) | (rng.nextInt(256) << 8) | v);
                    }
                }
                ImageIO.write(img, "png", cls.resolve(String.format("img%03d.png", i)).toFile());
            }
        }
        return dir;
    }
}
