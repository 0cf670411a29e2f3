package org.selfsup4j.augment.image;

import org.selfsup4j.core.Checks;

/**
 * Deterministic image operations with the semantics of {@code torchvision.transforms.functional}
 * 0.14 on float tensors in [0, 1] (the tensor path: bilinear resize with {@code antialias=False,
 * align_corners=False}; colour operations clamp to [0, 1]). Every method returns a new image and
 * leaves its input alone. The random transforms of this package draw parameters and call these.
 */
final class ImageOps {
    /** torchvision's (ITU-R 601-2) luma weights for R, G, B. */
    public static final float LUMA_R = 0.2989f;
    /** Luma weight of G. */
    public static final float LUMA_G = 0.587f;
    /** Luma weight of B. */
    public static final float LUMA_B = 0.114f;

    private ImageOps() {
    }

    /**
     * Crops the box (top, left, h, w) and resizes it to outH x outW with bilinear interpolation, as
     * {@code F.resized_crop(t, top, left, h, w, [outH, outW], BILINEAR, antialias=False)}.
     *
     * @param img input
     * @param top first row of the box
     * @param left first column of the box
     * @param h box height, &gt; 0
     * @param w box width, &gt; 0
     * @param outH output rows
     * @param outW output columns
     * @return the resized crop
     */
    public static FloatImage resizedCrop(FloatImage img, int top, int left, int h, int w, int outH, int outW) {
        if (h <= 0 || w <= 0 || top < 0 || left < 0 || top + h > img.height() || left + w > img.width()) {
            throw new IllegalArgumentException("ImageOps.resizedCrop: box (top=" + top + ", left=" + left + ", h=" + h
                    + ", w=" + w + ") must lie inside the " + img.height() + "x" + img.width() + " image");
        }
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("ImageOps.resizedCrop: output size must be > 0, got " + outH + "x" + outW);
        }
        int c = img.channels();
        int inW = img.width();
        int inH = img.height();
        float[] src = img.data();
        float[] dst = new float[c * outH * outW];
        // Source coordinates follow ATen's area_pixel_compute_source_index (align_corners=False):
        // src = (dst + 0.5) * in/out - 0.5, clamped at 0; the upper neighbour is clamped to the last pixel.
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] lx = new float[outW];
        float sx = (float) w / outW;
        for (int x = 0; x < outW; x++) {
            float s = Math.max(0f, sx * (x + 0.5f) - 0.5f);
            int i0 = (int) s;
            x0[x] = left + i0;
            x1[x] = left + (i0 < w - 1 ? i0 + 1 : i0);
            lx[x] = s - i0;
        }
        float sy = (float) h / outH;
        for (int y = 0; y < outH; y++) {
            float s = Math.max(0f, sy * (y + 0.5f) - 0.5f);
            int i0 = (int) s;
            int y0 = top + i0;
            int y1 = top + (i0 < h - 1 ? i0 + 1 : i0);
            float ly = s - i0;
            float hy = 1f - ly;
            for (int ch = 0; ch < c; ch++) {
                int r0 = (ch * inH + y0) * inW;
                int r1 = (ch * inH + y1) * inW;
                int o = (ch * outH + y) * outW;
                for (int x = 0; x < outW; x++) {
                    float l = lx[x];
                    float hx = 1f - l;
                    dst[o + x] = hy * (hx * src[r0 + x0[x]] + l * src[r0 + x1[x]])
                            + ly * (hx * src[r1 + x0[x]] + l * src[r1 + x1[x]]);
                }
            }
        }
        return new FloatImage(dst, c, outH, outW);
    }

    /**
     * Mirrors left to right.
     *
     * @param img input
     * @return the flipped image
     */
    public static FloatImage hflip(FloatImage img) {
        int w = img.width();
        int rows = img.channels() * img.height();
        float[] s = img.data();
        float[] d = new float[s.length];
        for (int r = 0; r < rows; r++) {
            int o = r * w;
            for (int x = 0; x < w; x++) {
                d[o + x] = s[o + w - 1 - x];
            }
        }
        return new FloatImage(d, img.channels(), img.height(), w);
    }

    /**
     * {@code clamp(factor * img, 0, 1)}, as {@code F.adjust_brightness}.
     *
     * @param img input
     * @param factor &gt;= 0; 1 leaves the image unchanged
     * @return the adjusted image
     */
    public static FloatImage adjustBrightness(FloatImage img, double factor) {
        checkFactor("adjustBrightness", factor);
        float f = (float) factor;
        float[] s = img.data();
        float[] d = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = clamp01(f * s[i]);
        }
        return new FloatImage(d, img.channels(), img.height(), img.width());
    }

    /**
     * {@code clamp(factor * img + (1 - factor) * mean(gray(img)), 0, 1)}, as {@code F.adjust_contrast}.
     *
     * @param img input
     * @param factor &gt;= 0; 0 gives a uniform grey image, 1 the original
     * @return the adjusted image
     */
    public static FloatImage adjustContrast(FloatImage img, double factor) {
        checkFactor("adjustContrast", factor);
        float[] s = img.data();
        int plane = img.height() * img.width();
        double sum = 0;
        if (img.channels() == 3) {
            for (int i = 0; i < plane; i++) {
                sum += LUMA_R * s[i] + LUMA_G * s[plane + i] + LUMA_B * s[2 * plane + i];
            }
        } else {
            for (int i = 0; i < plane; i++) {
                sum += s[i];
            }
        }
        float f = (float) factor;
        float m = (float) ((1.0 - factor) * (sum / plane));
        float[] d = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            d[i] = clamp01(f * s[i] + m);
        }
        return new FloatImage(d, img.channels(), img.height(), img.width());
    }

    /**
     * {@code clamp(factor * img + (1 - factor) * gray(img), 0, 1)}, as {@code F.adjust_saturation};
     * a 1-channel image comes back unchanged.
     *
     * @param img input
     * @param factor &gt;= 0; 0 gives the grey image, 1 the original
     * @return the adjusted image
     */
    public static FloatImage adjustSaturation(FloatImage img, double factor) {
        checkFactor("adjustSaturation", factor);
        if (img.channels() == 1) {
            return img;
        }
        float[] s = img.data();
        int plane = img.height() * img.width();
        float f = (float) factor;
        float g = 1f - f;
        float[] d = new float[s.length];
        for (int i = 0; i < plane; i++) {
            float r = s[i];
            float gr = s[plane + i];
            float b = s[2 * plane + i];
            float l = g * (LUMA_R * r + LUMA_G * gr + LUMA_B * b);
            d[i] = clamp01(f * r + l);
            d[plane + i] = clamp01(f * gr + l);
            d[2 * plane + i] = clamp01(f * b + l);
        }
        return new FloatImage(d, 3, img.height(), img.width());
    }

    /**
     * Shifts the hue by {@code hueFactor} turns through RGB -&gt; HSV -&gt; RGB, as {@code F.adjust_hue}
     * (same HSV formulas); a 1-channel image comes back unchanged.
     *
     * @param img input
     * @param hueFactor in [-0.5, 0.5]
     * @return the adjusted image
     */
    public static FloatImage adjustHue(FloatImage img, double hueFactor) {
        Checks.inRange("ImageOps.adjustHue", "hueFactor", hueFactor, -0.5, 0.5);
        if (img.channels() == 1) {
            return img;
        }
        float[] s = img.data();
        int plane = img.height() * img.width();
        float[] d = new float[s.length];
        float hf = (float) hueFactor;
        for (int i = 0; i < plane; i++) {
            float r = s[i];
            float g = s[plane + i];
            float b = s[2 * plane + i];
            float maxc = Math.max(r, Math.max(g, b));
            float minc = Math.min(r, Math.min(g, b));
            boolean eqc = maxc == minc;
            float cr = maxc - minc;
            float sat = cr / (eqc ? 1f : maxc);
            float crd = eqc ? 1f : cr;
            float rc = (maxc - r) / crd;
            float gc = (maxc - g) / crd;
            float bc = (maxc - b) / crd;
            float h;
            if (maxc == r) {
                h = bc - gc;
            } else if (maxc == g) {
                h = 2f + rc - bc;
            } else {
                h = 4f + gc - rc;
            }
            h = (h / 6f + 1f) % 1f;
            // torch's '%' is a floor modulo: the result takes the divisor's sign
            h = h + hf;
            h = h - (float) Math.floor(h);
            float v = maxc;
            float h6 = h * 6f;
            float fi = (float) Math.floor(h6);
            float f = h6 - fi;
            int sector = ((int) fi) % 6;
            if (sector < 0) {
                sector += 6;
            }
            float p = clamp01(v * (1f - sat));
            float q = clamp01(v * (1f - sat * f));
            float t = clamp01(v * (1f - sat * (1f - f)));
            float ro;
            float go;
            float bo;
            switch (sector) {
                case 0 -> { ro = v; go = t; bo = p; }
                case 1 -> { ro = q; go = v; bo = p; }
                case 2 -> { ro = p; go = v; bo = t; }
                case 3 -> { ro = p; go = q; bo = v; }
                case 4 -> { ro = t; go = p; bo = v; }
                default -> { ro = v; go = p; bo = q; }
            }
            d[i] = ro;
            d[plane + i] = go;
            d[2 * plane + i] = bo;
        }
        return new FloatImage(d, 3, img.height(), img.width());
    }

    /**
     * Converts to grey with {@code 0.2989 R + 0.587 G + 0.114 B}, as {@code F.rgb_to_grayscale}.
     *
     * @param img input (a 1-channel image is taken as grey already)
     * @param outChannels 1, or 3 to repeat the grey plane
     * @return the grey image
     */
    public static FloatImage toGrayscale(FloatImage img, int outChannels) {
        if (outChannels != 1 && outChannels != 3) {
            throw new IllegalArgumentException("ImageOps.toGrayscale: outChannels must be 1 or 3, got " + outChannels);
        }
        float[] s = img.data();
        int plane = img.height() * img.width();
        float[] d = new float[outChannels * plane];
        if (img.channels() == 3) {
            for (int i = 0; i < plane; i++) {
                d[i] = LUMA_R * s[i] + LUMA_G * s[plane + i] + LUMA_B * s[2 * plane + i];
            }
        } else {
            System.arraycopy(s, 0, d, 0, plane);
        }
        for (int c = 1; c < outChannels; c++) {
            System.arraycopy(d, 0, d, c * plane, plane);
        }
        return new FloatImage(d, outChannels, img.height(), img.width());
    }

    /**
     * torchvision's 1-D Gaussian kernel: {@code exp(-x^2 / (2 sigma^2))} at
     * {@code x = -(k-1)/2 ... (k-1)/2}, normalised to sum 1.
     *
     * @param kernelSize odd, &gt; 0
     * @param sigma &gt; 0
     * @return the kernel
     */
    public static float[] gaussianKernel1d(int kernelSize, double sigma) {
        if (kernelSize <= 0 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("ImageOps.gaussianKernel1d: kernelSize must be odd and > 0, got " + kernelSize);
        }
        Checks.positive("ImageOps.gaussianKernel1d", "sigma", sigma);
        double half = (kernelSize - 1) * 0.5;
        double[] pdf = new double[kernelSize];
        double sum = 0;
        for (int i = 0; i < kernelSize; i++) {
            double x = -half + i;
            pdf[i] = Math.exp(-0.5 * (x / sigma) * (x / sigma));
            sum += pdf[i];
        }
        float[] k = new float[kernelSize];
        for (int i = 0; i < kernelSize; i++) {
            k[i] = (float) (pdf[i] / sum);
        }
        return k;
    }

    /**
     * Gaussian blur with reflect padding, as {@code F.gaussian_blur(t, [k, k], [sigma, sigma])}
     * (computed separably; the 2-D kernel is the outer product of the 1-D one).
     *
     * @param img input
     * @param kernelSize odd, &gt; 0
     * @param sigma &gt; 0
     * @return the blurred image
     */
    public static FloatImage gaussianBlur(FloatImage img, int kernelSize, double sigma) {
        float[] k = gaussianKernel1d(kernelSize, sigma);
        int r = kernelSize / 2;
        int w = img.width();
        int h = img.height();
        int c = img.channels();
        float[] s = img.data();
        float[] tmp = new float[s.length];
        float[] d = new float[s.length];
        float[] row = new float[w + 2 * r];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int o = (ch * h + y) * w;
                for (int x = -r; x < w + r; x++) {
                    row[x + r] = s[o + reflect(x, w)];
                }
                for (int x = 0; x < w; x++) {
                    float acc = 0f;
                    for (int t = 0; t < kernelSize; t++) {
                        acc += k[t] * row[x + t];
                    }
                    tmp[o + x] = acc;
                }
            }
        }
        int[] yi = new int[h + 2 * r];
        for (int y = -r; y < h + r; y++) {
            yi[y + r] = reflect(y, h);
        }
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < h; y++) {
                int o = base + y * w;
                for (int t = 0; t < kernelSize; t++) {
                    float kt = k[t];
                    int so = base + yi[y + t] * w;
                    for (int x = 0; x < w; x++) {
                        d[o + x] += kt * tmp[so + x];
                    }
                }
            }
        }
        return new FloatImage(d, c, h, w);
    }

    /**
     * Inverts every sample at or above the threshold ({@code x >= t ? 1 - x : x}), as {@code F.solarize}.
     *
     * @param img input
     * @param threshold in [0, 1]
     * @return the solarized image
     */
    public static FloatImage solarize(FloatImage img, double threshold) {
        float t = (float) threshold;
        float[] s = img.data();
        float[] d = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            float v = s[i];
            d[i] = v >= t ? 1f - v : v;
        }
        return new FloatImage(d, img.channels(), img.height(), img.width());
    }

    /**
     * {@code (x - mean[c]) / std[c]} per channel, as {@code F.normalize}.
     *
     * @param img input
     * @param mean one value per channel
     * @param std one positive value per channel
     * @return the normalised image
     */
    public static FloatImage normalize(FloatImage img, float[] mean, float[] std) {
        int c = img.channels();
        if (mean.length != c || std.length != c) {
            throw new IllegalArgumentException("ImageOps.normalize: mean and std need " + c + " values, got "
                    + mean.length + " and " + std.length);
        }
        int plane = img.height() * img.width();
        float[] s = img.data();
        float[] d = new float[s.length];
        for (int ch = 0; ch < c; ch++) {
            float m = mean[ch];
            float sd = std[ch];
            int o = ch * plane;
            for (int i = 0; i < plane; i++) {
                d[o + i] = (s[o + i] - m) / sd;
            }
        }
        return new FloatImage(d, c, img.height(), img.width());
    }

    /** Index of the reflect padding (edge not repeated), folded until it falls inside [0, n). */
    static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    private static float clamp01(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }

    private static void checkFactor(String method, double factor) {
        Checks.nonNegative("ImageOps." + method, "factor", factor);
    }
}
