package org.selfsup4j.speech.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Wav2Vec2ConfigTest {

    @Test
    void smallPreset_annealsToTheFloorNear70PercentOfA30MinuteRun() {
        Wav2Vec2Config c = Wav2Vec2Config.small();
        assertEquals(Wav2Vec2Config.SMALL_TEMPERATURE_DECAY, c.temperatureDecay());
        assertEquals(Wav2Vec2Config.SMALL_DIVERSITY_WEIGHT, c.diversityWeight());
        assertEquals(0.1, Wav2Vec2Config.base().diversityWeight());
        // steps until max * decay^k reaches min: ~6,900 of the ~10,000 a 30-minute run makes on 2 cores
        double k = Math.log(c.minTemperature() / c.maxTemperature()) / Math.log(c.temperatureDecay());
        assertTrue(k > 6000 && k < 8000, "steps to the floor " + k);
    }

    @Test
    void withTemperatureDecay_andWithDiversityWeight_changeOnlyThatField() {
        Wav2Vec2Config c = Wav2Vec2Config.small();
        Wav2Vec2Config d = c.withTemperatureDecay(0.999).withDiversityWeight(0.5);
        assertEquals(0.999, d.temperatureDecay());
        assertEquals(0.5, d.diversityWeight());
        assertEquals(c.modelDim(), d.modelDim());
        assertEquals(c.codebookEntries(), d.codebookEntries());
        assertArrayEquals(c.convChannels(), d.convChannels());
        assertEquals(c.withTemperatureDecay(c.temperatureDecay()).withDiversityWeight(c.diversityWeight()).toString(),
                c.toString());
    }

    @Test
    void badTemperatureDecay_orDiversityWeight_throw() {
        Wav2Vec2Config c = Wav2Vec2Config.small();
        var e = assertThrows(IllegalArgumentException.class, () -> c.withTemperatureDecay(1.5));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.withDiversityWeight(-1));
    }
}
