package org.selfsup4j.speech.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.selfsup4j.speech.io.Audio;
import org.selfsup4j.speech.io.WavReader;

/**
 * LogMelSpectrogram against torchaudio 0.13 {@code compliance.kaldi.fbank} (golden files from make_golden.py).
 * Tolerances (absolute, on natural-log values): 1e-4 against torchaudio run in float64 (measured max 6.2e-5
 * synthetic, 9.0e-5 FSDD; the gap is torchaudio building its mel weights in float32 even for float64 input),
 * 1e-3 against torchaudio run in float32 (measured max 4.5e-4 synthetic, 8.4e-5 FSDD).
 */
class LogMelSpectrogramTest {
    static final double TOL_F64 = 1e-4;
    static final double TOL_F32 = 1e-3;

    static float[] synthetic() throws IOException {
        try (InputStream in = LogMelSpectrogramTest.class.getResourceAsStream("synthetic_16k.wav")) {
            Audio a = WavReader.create().read(in.readAllBytes(), "synthetic_16k.wav");
            assertEquals(16000, a.sampleRate());
            return a.channel(0);
        }
    }

    static float[] fsdd() throws IOException {
        return WavReader.create().read(Golden.fsddRecordings().resolve("3_jackson_0.wav")).channel(0);
    }

    @Test
    void fbank80_synthetic_matchesTorchaudio() throws IOException {
        Golden g = Golden.load("golden_synthetic.txt");
        float[][] out = new LogMelSpectrogram(FbankOptions.builder(16000).numMelBins(80).build()).compute(synthetic());
        double d64 = Golden.maxAbsDiff(g.get("fbank80_f64"), out);
        double d32 = Golden.maxAbsDiff(g.get("fbank80_f32"), out);
        assertTrue(d64 < TOL_F64, "vs float64 torchaudio: max |diff| " + d64);
        assertTrue(d32 < TOL_F32, "vs float32 torchaudio: max |diff| " + d32);
    }

    @Test
    void fbank23Defaults_synthetic_matchesTorchaudio() throws IOException {
        Golden g = Golden.load("golden_synthetic.txt");
        float[][] out = new LogMelSpectrogram(FbankOptions.defaults(16000)).compute(synthetic());
        assertTrue(Golden.maxAbsDiff(g.get("fbank23_f64"), out) < TOL_F64);
        assertTrue(Golden.maxAbsDiff(g.get("fbank23_f32"), out) < TOL_F32);
    }

    static FbankOptions nonDefault(int sr) {
        return FbankOptions.builder(sr).numMelBins(40).snipEdges(false).window(FrameWindow.HAMMING)
                .useEnergy(true).rawEnergy(false).preemphasisCoefficient(0.5).lowFreq(60).highFreq(-200)
                .energyFloor(0).frameLengthMs(20).frameShiftMs(12.5).build();
    }

    @Test
    void nonDefaultOptions_synthetic_matchesTorchaudio() throws IOException {
        Golden g = Golden.load("golden_synthetic.txt");
        LogMelSpectrogram f = new LogMelSpectrogram(nonDefault(16000));
        float[] x = synthetic();
        float[][] out = f.compute(x);
        assertEquals(41, f.numFeatures());
        assertEquals(out.length, f.numFrames(x.length));
        double d = Golden.maxAbsDiff(g.get("fbank_options_f64"), out);
        assertTrue(d < TOL_F64, "max |diff| " + d);
    }

    @Test
    void fsddRecording_matchesTorchaudio() throws IOException {
        float[] x = fsdd();
        Golden g = Golden.load("golden_fsdd.txt");
        assertEquals(g.get("num_samples")[0][0], x.length);
        double[] head = g.get("waveform_head")[0];
        for (int i = 0; i < head.length; i++) {
            assertEquals(head[i] * 32768, x[i] * 32768, 1e-4, "sample " + i + " as Python's wave module reads it");
        }
        float[][] out80 = new LogMelSpectrogram(FbankOptions.builder(8000).numMelBins(80).build()).compute(x);
        assertTrue(Golden.maxAbsDiff(g.get("fbank80_f64"), out80) < TOL_F64);
        double d32 = Golden.maxAbsDiff(g.get("fbank80_f32"), out80);
        assertTrue(d32 < TOL_F32, "vs float32: " + d32);
        float[][] out23 = new LogMelSpectrogram(FbankOptions.defaults(8000)).compute(x);
        assertTrue(Golden.maxAbsDiff(g.get("fbank23_f64"), out23) < TOL_F64);
        assertTrue(Golden.maxAbsDiff(g.get("fbank_options_f64"), new LogMelSpectrogram(nonDefault(8000)).compute(x))
                < TOL_F64);
    }

    @Test
    void compute_pureTone_peaksInTheBinHoldingItsFrequency() {
        int sr = 16000;
        float[] x = new float[sr / 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000.0 * i / sr));
        }
        FbankOptions o = FbankOptions.builder(sr).numMelBins(40).build();
        float[][] out = new LogMelSpectrogram(o).compute(x);
        double melLow = LogMelSpectrogram.mel(20);
        double delta = (LogMelSpectrogram.mel(8000) - melLow) / 41;
        double m = LogMelSpectrogram.mel(1000);
        int best = 0;
        for (int b = 1; b < 40; b++) {
            if (out[10][b] > out[10][best]) {
                best = b;
            }
        }
        double center = melLow + (best + 1) * delta;
        assertTrue(Math.abs(center - m) <= delta, "peak bin " + best + " centre mel " + center + " vs " + m);
    }

    @Test
    void compute_shorterThanOneFrame_givesZeroFrames() {
        LogMelSpectrogram f = new LogMelSpectrogram(FbankOptions.defaults(16000));
        assertEquals(0, f.compute(new float[399]).length);
        assertEquals(1, f.compute(new float[400]).length);
        assertEquals(2, f.compute(new float[560]).length);
    }

    @Test
    void compute_silence_isLogEpsilon() {
        float[][] out = new LogMelSpectrogram(FbankOptions.defaults(16000)).compute(new float[1000]);
        assertEquals(Math.log(LogMelSpectrogram.EPSILON), out[0][5], 1e-6);
    }

    @Test
    void options_invalid_throwWithMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FbankOptions.builder(16000).numMelBins(3).build());
        assertTrue(e.getMessage().contains("numMelBins"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FbankOptions.builder(0).build());
        e = assertThrows(IllegalArgumentException.class, () -> FbankOptions.builder(16000).lowFreq(9000).build());
        assertTrue(e.getMessage().contains("Nyquist"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> FbankOptions.builder(16000).frameLengthMs(25.0625).roundToPowerOfTwo(false).build());
        assertThrows(IllegalArgumentException.class, () -> FbankOptions.builder(16000).preemphasisCoefficient(1.5).build());
    }
}
