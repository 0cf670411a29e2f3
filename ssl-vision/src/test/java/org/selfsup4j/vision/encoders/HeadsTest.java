package org.selfsup4j.vision.encoders;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.selfsup4j.core.nn.Mlp;
import org.selfsup4j.core.nn.Parameter;

/** The methods' heads: the papers' widths and the layer layouts PyTorch checkpoints would have. */
class HeadsTest {
    private static List<String> names(Mlp m) {
        List<String> out = new ArrayList<>();
        for (Parameter p : m.parameters()) {
            out.add(p.name());
        }
        return out;
    }

    @Test
    void simclrProjection_hasPaperWidths_andBiasFreeHiddenLinear() {
        assertEquals(2048, Heads.simclrProjection(8, DataType.FLOAT, new SplittableRandom(1)).dims()[1]);
        assertArrayEquals(new int[] {8, 2048, 128}, Heads.simclrProjection(8, DataType.FLOAT, new SplittableRandom(1)).dims());
        Mlp two = Heads.simclrProjection(4, 6, 3, 2, DataType.DOUBLE, new SplittableRandom(5));
        assertEquals(List.of("0.weight", "1.weight", "1.bias", "3.weight", "3.bias"), names(two));
        Mlp three = Heads.simclrProjection(4, 6, 3, 3, DataType.DOUBLE, new SplittableRandom(5));
        assertArrayEquals(new int[] {4, 6, 6, 3}, three.dims());
        var e = assertThrows(IllegalArgumentException.class,
                () -> Heads.simclrProjection(4, 6, 3, 4, DataType.DOUBLE, new SplittableRandom(5)));
        assertEquals("Heads.simclrProjection: layers must be 2 or 3, got 4", e.getMessage());
    }

    @Test
    void byolProjectorAndPredictor_haveBiasedHiddenLinear_andPredictorKeepsWidth() {
        Mlp predictor = Heads.predictor(3, 5, DataType.DOUBLE, new SplittableRandom(6));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"), names(predictor));
        assertArrayEquals(new int[] {3, 5, 3}, predictor.dims());
        Mlp projector = Heads.byolProjector(4, 8, 3, DataType.FLOAT, new SplittableRandom(42));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"), names(projector));
        assertEquals(4096, Heads.BYOL_HIDDEN);
        assertEquals(256, Heads.BYOL_OUT);
    }
}
