package org.selfsup4j.augment.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AudioTransformsTest {
    private static final int SR = 16_000;

    private static float[] sine(double hz, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * hz * i / SR);
        }
        return x;
    }

    /** Power of x at one frequency (Goertzel in double), over [from, to). */
    private static double powerAt(float[] x, int from, int to, double hz) {
        double w = 2 * Math.PI * hz / SR;
        double re = 0;
        double im = 0;
        for (int i = from; i < to; i++) {
            re += x[i] * Math.cos(w * i);
            im -= x[i] * Math.sin(w * i);
        }
        return (re * re + im * im) / ((double) (to - from) * (to - from));
    }

    private static double peakHz(float[] x, double lo, double hi) {
        double best = lo;
        double bestP = -1;
        for (double f = lo; f <= hi; f += 1.0) {
            double p = powerAt(x, 2000, x.length - 2000, f);
            if (p > bestP) {
                bestP = p;
                best = f;
            }
        }
        return best;
    }

    @Test
    void cropOrPad_cropsAndPadsAtOffset() {
        float[] x = {1, 2, 3, 4, 5};
        assertArrayEquals(new float[] {2, 3, 4}, AudioOps.cropOrPad(x, 3, 1), 0f);
        assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4, 5, 0}, AudioOps.cropOrPad(x, 8, 2), 0f);
        RandomCropOrPad t = new RandomCropOrPad(3);
        SplittableRandom rng = new SplittableRandom(1);
        boolean[] seen = new boolean[3];
        for (int i = 0; i < 200; i++) {
            int off = t.sample(rng, 5);
            seen[off] = true;
            assertEquals(3, t.apply(x, off).length);
        }
        assertTrue(seen[0] && seen[1] && seen[2], "every offset drawn");
        assertThrows(IllegalArgumentException.class, () -> AudioOps.cropOrPad(x, 3, 3));
    }

    @Test
    void gain_sixDecibels_doublesAmplitude() {
        float[] y = AudioOps.gain(new float[] {0.1f, -0.2f}, 20 * Math.log10(2));
        assertArrayEquals(new float[] {0.2f, -0.4f}, y, 1e-6f);
        assertEquals(0.5f, AudioOps.gain(new float[] {0.05f}, 20)[0], 1e-6f);
    }

    @Test
    void addNoise_realizedSnr_equalsDrawnSnr() {
        float[] x = sine(300, 8000);
        AddNoise t = new AddNoise(0, 20, 1.0);
        SplittableRandom rng = new SplittableRandom(2);
        for (int k = 0; k < 5; k++) {
            AddNoise.Params p = t.sample(rng);
            float[] y = t.apply(x, p);
            float[] n = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                n[i] = y[i] - x[i];
            }
            double snr = 10 * Math.log10(AudioOps.power(x) / AudioOps.power(n));
            assertEquals(p.snrDb(), snr, 0.01, "realized SNR");
            assertTrue(p.snrDb() >= 0 && p.snrDb() <= 20);
        }
    }

    @Test
    void shift_zeroFillAndRoll() {
        float[] x = {1, 2, 3, 4};
        assertArrayEquals(new float[] {0, 1, 2, 3}, AudioOps.shift(x, 1, false), 0f);
        assertArrayEquals(new float[] {3, 4, 0, 0}, AudioOps.shift(x, -2, false), 0f);
        assertArrayEquals(new float[] {4, 1, 2, 3}, AudioOps.shift(x, 1, true), 0f);
        assertArrayEquals(new float[] {3, 4, 1, 2}, AudioOps.shift(x, -2, true), 0f);
        TimeShift t = new TimeShift(3, false, 1.0);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            int s = t.sample(rng);
            assertTrue(s >= -3 && s <= 3);
        }
    }

    @Test
    void speed_movesToneFrequencyAndLength() {
        float[] x = sine(440, SR);
        float[] fast = AudioOps.speed(x, 1.1);
        assertEquals(Math.round(SR / 1.1), fast.length);
        assertEquals(484, peakHz(fast, 400, 560), 1.5);
        float[] slow = AudioOps.speed(sine(1000, SR), 0.9);
        assertEquals(Math.round(SR / 0.9), slow.length);
        assertEquals(900, peakHz(slow, 800, 1100), 1.5);
        // Away from the edges the amplitude is kept (unit-gain passband).
        double rms = Math.sqrt(AudioOps.power(java.util.Arrays.copyOfRange(slow, 2000, slow.length - 2000)));
        assertEquals(Math.sqrt(0.5), rms, 0.01);
        assertArrayEquals(x, AudioOps.speed(x, 1.0), 0f);
    }

    @Test
    void speed_speedingUpToneNearNyquist_isFilteredNotAliased() {
        // 7 kHz played 1.25x faster would be 8.75 kHz, above Nyquist: band-limiting removes it.
        float[] y = AudioOps.speed(sine(7000, SR), 1.25);
        double rms = Math.sqrt(AudioOps.power(java.util.Arrays.copyOfRange(y, 1000, y.length - 1000)));
        assertTrue(rms < 0.05, "residual rms " + rms);
    }

    @Test
    void speedPerturb_picksFromFactors() {
        SpeedPerturb t = new SpeedPerturb();
        SplittableRandom rng = new SplittableRandom(4);
        int[] counts = new int[3];
        for (int i = 0; i < 300; i++) {
            double f = t.sample(rng);
            counts[f == 0.9 ? 0 : f == 1.0 ? 1 : 2]++;
        }
        for (int c : counts) {
            assertTrue(c > 70, "each factor drawn about a third of the time");
        }
    }

    @Test
    void specAugment_masksOnlyInsideDrawnBands() {
        float[][] spec = new float[40][60];
        for (int f = 0; f < 40; f++) {
            for (int t = 0; t < 60; t++) {
                spec[f][t] = 1 + f + t;
            }
        }
        SpecAugmentMask time = new SpecAugmentMask(SpecAugmentMask.Axis.TIME, 10, 2, 0f);
        SpecAugmentMask freq = new SpecAugmentMask(SpecAugmentMask.Axis.FREQUENCY, 8, 1, 0f);
        SplittableRandom rng = new SplittableRandom(5);
        for (int k = 0; k < 50; k++) {
            SpecAugmentMask.Params tp = time.sample(rng, 60);
            SpecAugmentMask.Params fp = freq.sample(rng, 40);
            float[][] out = freq.apply(time.apply(spec, tp), fp);
            for (int f = 0; f < 40; f++) {
                for (int t = 0; t < 60; t++) {
                    boolean masked = in(f, fp) || in(t, tp);
                    assertEquals(masked ? 0f : spec[f][t], out[f][t], 0f);
                }
            }
            for (SpecAugmentMask.Band b : tp.bands()) {
                assertTrue(b.width() >= 0 && b.width() <= 10);
            }
        }
        assertEquals(1f, spec[0][0], "input untouched");
        assertThrows(IllegalArgumentException.class, () -> AudioOps.maskTime(spec, 55, 10, 0f));
    }

    private static boolean in(int i, SpecAugmentMask.Params p) {
        return p.bands().stream().anyMatch(b -> b.contains(i));
    }

    @Test
    void badParameters_throwNamingParameterAndValue() {
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> new AddNoise(20, 5, 1.0));
        assertTrue(a.getMessage().contains("min <= max") && a.getMessage().contains("20"), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> new RandomGain(-6, 6, 1.2));
        assertTrue(b.getMessage().contains("p") && b.getMessage().contains("1.2"), b.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> new SpeedPerturb(0.9, 5.0));
        assertTrue(c.getMessage().contains("factors") && c.getMessage().contains("5.0"), c.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> new RandomCropOrPad(0));
        assertTrue(d.getMessage().contains("length") && d.getMessage().contains("0"), d.getMessage());
    }
}
