package org.selfsup4j.speech.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Mfcc and the HuBERT 39-dim features against torchaudio 0.13 {@code compliance.kaldi.mfcc} +
 * {@code functional.compute_deltas}. Tolerances (absolute): 5e-4 vs torchaudio in float64 (measured max 1.8e-4
 * synthetic, 7.6e-5 FSDD; torchaudio's DCT matrix and mel weights are float32 whatever the input dtype, and
 * the DCT with lifter sums 23 log energies of magnitude ~15 with weights up to 12), 1e-3 vs torchaudio in
 * float32 (measured max 4.0e-4 synthetic, 7.8e-5 FSDD). The deltas add no measurable error.
 */
class MfccTest {
    static final double TOL_F64 = 5e-4;
    static final double TOL_F32 = 1e-3;

    @Test
    void mfcc_synthetic_matchesTorchaudio() throws IOException {
        Golden g = Golden.load("golden_synthetic.txt");
        float[][] out = Mfcc.hubert(16000).compute(LogMelSpectrogramTest.synthetic());
        assertEquals(13, out[0].length);
        double d64 = Golden.maxAbsDiff(g.get("mfcc_f64"), out);
        double d32 = Golden.maxAbsDiff(g.get("mfcc_f32"), out);
        assertTrue(d64 < TOL_F64, "vs float64: " + d64);
        assertTrue(d32 < TOL_F32, "vs float32: " + d32);
    }

    @Test
    void hubert39_synthetic_matchesTorchaudio() throws IOException {
        Golden g = Golden.load("golden_synthetic.txt");
        float[][] out = Mfcc.hubert(16000).computeWithDeltas(LogMelSpectrogramTest.synthetic());
        assertEquals(39, out[0].length);
        assertTrue(Golden.maxAbsDiff(g.get("hubert39_f64"), out) < TOL_F64);
        assertTrue(Golden.maxAbsDiff(g.get("hubert39_f32"), out) < TOL_F32);
    }

    static Mfcc energyVariant(int sr) {
        return new Mfcc(FbankOptions.builder(sr).useEnergy(true).numMelBins(30).window(FrameWindow.BLACKMAN)
                .roundToPowerOfTwo(false).build(), 20, 0.0);
    }

    @Test
    void mfccWithEnergyNoLifterBlackman_synthetic_matchesTorchaudio() throws IOException {
        Golden g = Golden.load("golden_synthetic.txt");
        float[][] out = energyVariant(16000).compute(LogMelSpectrogramTest.synthetic());
        double d = Golden.maxAbsDiff(g.get("mfcc_energy_f64"), out);
        assertTrue(d < TOL_F64, "max |diff| " + d);
    }

    @Test
    void fsddRecording_matchesTorchaudio() throws IOException {
        float[] x = LogMelSpectrogramTest.fsdd();
        Golden g = Golden.load("golden_fsdd.txt");
        float[][] h = Mfcc.hubert(8000).computeWithDeltas(x);
        double d64 = Golden.maxAbsDiff(g.get("hubert39_f64"), h);
        double d32 = Golden.maxAbsDiff(g.get("hubert39_f32"), h);
        assertTrue(d64 < TOL_F64, "vs float64: " + d64);
        assertTrue(d32 < TOL_F32, "vs float32: " + d32);
        assertTrue(Golden.maxAbsDiff(g.get("mfcc_energy_f64"), energyVariant(8000).compute(x))
                < TOL_F64);
    }

    @Test
    void constructor_tooManyCeps_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Mfcc(FbankOptions.defaults(16000), 24, 22));
        assertTrue(e.getMessage().contains("numCeps"), e.getMessage());
    }
}
