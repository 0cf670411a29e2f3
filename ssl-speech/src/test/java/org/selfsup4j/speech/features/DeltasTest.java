package org.selfsup4j.speech.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DeltasTest {
    @Test
    void compute_ramp_givesSlopeInsideAndReplicatedEdges() {
        float[][] c = new float[6][1];
        for (int t = 0; t < 6; t++) {
            c[t][0] = 3 * t;
        }
        float[][] d = Deltas.compute(c);
        // Interior: sum k * 3k / 10 over k = -2..2 = 3. Frame 0 by hand: (1*(3-0) + 2*(6-0)) / 10 = 1.5;
        // frame 1: (1*(6-0) + 2*(9-0)) / 10 = 2.4.
        assertArrayEquals(new float[] {1.5f, 2.4f, 3f, 3f, 2.4f, 1.5f},
                new float[] {d[0][0], d[1][0], d[2][0], d[3][0], d[4][0], d[5][0]}, 1e-6f);
    }

    @Test
    void compute_winLength3_usesDenominator2() {
        float[][] c = {{0}, {1}, {4}};
        float[][] d = Deltas.compute(c, 3);
        assertEquals((1 - 0) / 2f, d[0][0], 1e-7);
        assertEquals((4 - 0) / 2f, d[1][0], 1e-7);
        assertEquals((4 - 1) / 2f, d[2][0], 1e-7);
    }

    @Test
    void appendDeltasAndAccelerations_concatenatesInHubertOrder() {
        float[][] c = {{1, 10}, {2, 20}, {4, 40}};
        float[][] out = Deltas.appendDeltasAndAccelerations(c, 5);
        float[][] d1 = Deltas.compute(c, 5);
        float[][] d2 = Deltas.compute(d1, 5);
        assertEquals(6, out[0].length);
        assertArrayEquals(new float[] {2, 20, d1[1][0], d1[1][1], d2[1][0], d2[1][1]}, out[1]);
    }

    @Test
    void compute_badWindow_throws() {
        assertThrows(IllegalArgumentException.class, () -> Deltas.compute(new float[2][2], 2));
    }
}
