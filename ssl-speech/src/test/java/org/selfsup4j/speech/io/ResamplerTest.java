package org.selfsup4j.speech.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.selfsup4j.speech.features.Golden;

/**
 * Resampler against analytic sines and against torchaudio 0.13 {@code functional.resample} (float32 golden
 * values from make_golden.py; agreement within 1e-5 absolute, measured in the assertion messages).
 */
class ResamplerTest {
    static final double TOL_TORCHAUDIO = 1e-5;

    static float[] sine(double freq, double amp, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amp * Math.sin(2 * Math.PI * freq * i / rate));
        }
        return x;
    }

    /** Max |y[i] - amp sin(2 pi f i / rate)| over the interior (edges see the zero padding). */
    static double interiorError(float[] y, double freq, double amp, int rate, int margin) {
        double max = 0;
        for (int i = margin; i < y.length - margin; i++) {
            max = Math.max(max, Math.abs(y[i] - amp * Math.sin(2 * Math.PI * freq * i / rate)));
        }
        return max;
    }

    static double rms(float[] y, int margin) {
        double s = 0;
        int n = 0;
        for (int i = margin; i < y.length - margin; i++) {
            s += y[i] * y[i];
            n++;
        }
        return Math.sqrt(s / n);
    }

    @Test
    void upsample8kTo16k_sineKeepsAmplitudeAndFrequency() {
        float[] y = new Resampler(8000, 16000).resample(sine(440, 0.8, 8000, 8000));
        assertEquals(16000, y.length);
        double err = interiorError(y, 440, 0.8, 16000, 200);
        assertTrue(err < 2e-3, "max deviation from the analytic sine " + err);
    }

    @Test
    void downsample44100To16k_sineKeepsAmplitudeAndFrequency() {
        Resampler r = new Resampler(44100, 16000);
        float[] y = r.resample(sine(1000, 0.5, 44100, 44100));
        assertEquals(16000, y.length);
        double err = interiorError(y, 1000, 0.5, 16000, 200);
        assertTrue(err < 2e-3, "max deviation from the analytic sine " + err);
    }

    @Test
    void downsample_toneAboveNewNyquist_isRemoved() {
        // 10 kHz is above the 8 kHz Nyquist of 16 kHz output: it must not alias down to 6 kHz. Input rms 0.354.
        float[] x = sine(10000, 0.5, 44100, 44100);
        double hann = rms(new Resampler(44100, 16000).resample(x), 200);
        assertTrue(hann < 0.354 * 0.01, "torchaudio's default (Hann, 6 crossings): left rms " + hann + ", want 40 dB down");
        // librosa's "kaiser_best" settings, as torchaudio's docs suggest: 64 crossings, rolloff 0.9476.
        double kaiser = rms(new Resampler(44100, 16000, 64, 0.9475937167399596, Resampler.Window.KAISER,
                Resampler.DEFAULT_KAISER_BETA).resample(x), 200);
        assertTrue(kaiser < 0.354 * 1e-4, "Kaiser best: left rms " + kaiser + ", want 80 dB down");
        // A tone well inside the pass band survives (the Hann filter starts rolling off around 6 kHz here).
        float[] kept = new Resampler(44100, 16000).resample(sine(5000, 0.5, 44100, 44100));
        assertEquals(0.5 / Math.sqrt(2), rms(kept, 200), 0.005, "5 kHz rms after resampling");
    }

    @Test
    void outputLength_isCeilOfScaledLength() {
        Resampler r = new Resampler(44100, 16000);
        assertEquals(0, r.outputLength(0));
        assertEquals(1, r.outputLength(1));
        assertEquals(363, r.outputLength(1000)); // ceil(1000 * 160 / 441) = ceil(362.8)
        float[] same = {1, 2, 3};
        assertArrayEquals(same, new Resampler(16000, 16000).resample(same));
    }

    @Test
    void resample_matchesTorchaudio() throws IOException {
        Golden g = Golden.load("golden_synthetic.txt");
        float[] x;
        try (InputStream in = Golden.class.getResourceAsStream("synthetic_16k.wav")) {
            x = java.util.Arrays.copyOf(WavReader.create().read(in.readAllBytes(), "synthetic").channel(0), 1600);
        }
        double d = Golden.maxAbsDiff(g.get("resample_16000_8000"), new float[][] {new Resampler(16000, 8000).resample(x)});
        assertTrue(d < TOL_TORCHAUDIO, "hann 16k->8k max |diff| " + d);
        Resampler k = new Resampler(16000, 22050, 8, 0.95, Resampler.Window.KAISER, Resampler.DEFAULT_KAISER_BETA);
        d = Golden.maxAbsDiff(g.get("resample_16000_22050_kaiser"), new float[][] {k.resample(x)});
        assertTrue(d < TOL_TORCHAUDIO, "kaiser 16k->22.05k max |diff| " + d);
    }

    @Test
    void resample_fsddRecording_matchesTorchaudio() throws IOException {
        java.nio.file.Path p = Golden.fsddRecordings().resolve("3_jackson_0.wav");
        Audio a = WavReader.create().read(p);
        Audio up = new Resampler(8000, 16000).resample(a);
        assertEquals(16000, up.sampleRate());
        Golden g = Golden.load("golden_fsdd.txt");
        double d = Golden.maxAbsDiff(g.get("resample_8000_16000"), new float[][] {up.channel(0)});
        assertTrue(d < TOL_TORCHAUDIO, "max |diff| " + d);
    }

    @Test
    void besselI0_matchesKnownValues() {
        assertEquals(1.0, Resampler.besselI0(0), 0);
        assertEquals(1.2660658777520082, Resampler.besselI0(1), 1e-15);
        assertEquals(2815.716628466254, Resampler.besselI0(10), 1e-9);
    }

    @Test
    void invalidArguments_throwWithMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 16000));
        assertTrue(e.getMessage().contains("rates"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new Resampler(8000, 16000, 6, 1.5, Resampler.Window.HANN, 1));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(8000, 16000).resample(new float[10], new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new Resampler(1000003, 999983));
        Audio wrongRate = Audio.mono(new float[10], 22050);
        e = assertThrows(IllegalArgumentException.class, () -> new Resampler(8000, 16000).resample(wrongRate));
        assertTrue(e.getMessage().contains("22050"), e.getMessage());
    }
}
