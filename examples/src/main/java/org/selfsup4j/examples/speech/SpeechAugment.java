package org.selfsup4j.examples.speech;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import org.selfsup4j.augment.Compose;
import org.selfsup4j.augment.Transform;
import org.selfsup4j.augment.audio.AddNoise;
import org.selfsup4j.augment.audio.RandomGain;
import org.selfsup4j.augment.audio.SpecAugmentMask;
import org.selfsup4j.augment.audio.TimeShift;
import org.selfsup4j.examples.UserError;

/**
 * The audio views of {@code --augment}, applied to every training crop (ssl-augment's
 * {@code org.selfsup4j.augment.audio}), each with probability {@link #P} and lengths in seconds so they
 * mean the same at any sample rate:
 *
 * <ul>
 *   <li>{@code gain}: {@link RandomGain} of -6..+6 dB (the crops are standardised, so this is a change of
 *       level within a batch, as recordings of different loudness);</li>
 *   <li>{@code noise}: white {@link AddNoise} at 10-30 dB SNR;</li>
 *   <li>{@code shift}: {@link TimeShift} by up to 0.05 s, zero-filled;</li>
 *   <li>{@code time-mask}: two spans of up to 0.05 s each set to zero ({@link SpecAugmentMask} along time on
 *       the waveform).</li>
 * </ul>
 *
 * Frequency masking needs a spectrogram; the speech models read waveforms, so {@code freq-mask} is
 * refused. For HuBERT and ILS-SSL the frame targets are labelled from the same (augmented) crop the
 * model sees.
 */
final class SpeechAugment {
    /** Probability each named view is applied to a crop. */
    static final double P = 0.5;
    /** Largest shift and largest masked span, in seconds. */
    static final double MAX_SPAN_SECONDS = 0.05;
    /** Masked spans per crop of {@code time-mask}. */
    static final int TIME_MASKS = 2;

    private static final Map<String, IntFunction<Transform<float[]>>> VIEWS = new LinkedHashMap<>();

    static {
        VIEWS.put("gain", rate -> new RandomGain(-6, 6, P));
        VIEWS.put("noise", rate -> new AddNoise(10, 30, P));
        VIEWS.put("shift", rate -> new TimeShift(span(rate), false, P));
        VIEWS.put("time-mask", rate -> {
            SpecAugmentMask mask = new SpecAugmentMask(SpecAugmentMask.Axis.TIME, span(rate), TIME_MASKS, 0f);
            return (x, rng) -> rng.nextDouble() < P ? mask.apply(new float[][] {x}, rng)[0] : x;
        });
    }

    private SpeechAugment() {
    }

    /** @return the names {@code --augment} accepts */
    static List<String> names() {
        return List.copyOf(VIEWS.keySet());
    }

    /**
     * @param spec comma-separated view names, or null or empty for none
     * @param sampleRate the crops' rate, for the views' lengths
     * @return the views in the order given, or null for none
     * @throws UserError naming an unknown view and the known ones
     */
    static Transform<float[]> parse(String spec, int sampleRate) {
        if (spec == null || spec.isBlank() || spec.strip().equalsIgnoreCase("none")) {
            return null;
        }
        List<Transform<float[]>> steps = new ArrayList<>();
        for (String raw : spec.split(",")) {
            String n = raw.strip().toLowerCase(Locale.ROOT);
            if (n.equals("freq-mask") || n.equals("frequency-mask")) {
                throw UserError.usage("--augment: " + n + " masks spectrogram bins, but the speech models read waveforms;"
                        + " expected some of " + names());
            }
            IntFunction<Transform<float[]>> f = VIEWS.get(n);
            if (f == null) {
                throw UserError.usage("--augment: expected a comma-separated list of " + names() + ", got '" + raw.strip()
                        + "'");
            }
            steps.add(f.apply(sampleRate));
        }
        return new Compose<>(steps);
    }

    private static int span(int sampleRate) {
        return (int) Math.round(MAX_SPAN_SECONDS * sampleRate);
    }
}
