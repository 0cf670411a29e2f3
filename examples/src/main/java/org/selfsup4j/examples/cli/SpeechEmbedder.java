package org.selfsup4j.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup4j.core.encoder.EncoderHeader;
import org.selfsup4j.speech.io.Audio;
import org.selfsup4j.speech.io.WavReader;
import org.selfsup4j.speech.pretrained.SpeechEncoder;

/**
 * A speech encoder file behind {@link Embedder}: WAV files, mixed down to mono and resampled to the
 * file's rate by {@link SpeechEncoder}.
 */
record SpeechEmbedder(SpeechEncoder encoder) implements Embedder {
    private static final WavReader READER = WavReader.create();

    @Override
    public String modality() {
        return EncoderHeader.SPEECH;
    }

    @Override
    public String inputKind() {
        return "WAV";
    }

    @Override
    public List<String> extensions() {
        return List.of(".wav");
    }

    @Override
    public int dim() {
        return encoder.featureDim();
    }

    /** One batched call per sample rate in {@code files} (the batch variant takes one rate), rows in input order. */
    @Override
    public float[][] embed(List<Path> files) throws IOException {
        Map<Integer, List<Integer>> byRate = new LinkedHashMap<>();
        List<float[]> samples = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            Audio a = READER.read(files.get(i));
            samples.add(a.mixToMono());
            byRate.computeIfAbsent(a.sampleRate(), r -> new ArrayList<>()).add(i);
        }
        float[][] out = new float[files.size()][];
        for (Map.Entry<Integer, List<Integer>> e : byRate.entrySet()) {
            List<float[]> group = new ArrayList<>(e.getValue().size());
            e.getValue().forEach(i -> group.add(samples.get(i)));
            float[][] rows = encoder.embed(group, e.getKey());
            for (int j = 0; j < rows.length; j++) {
                out[e.getValue().get(j)] = rows[j];
            }
        }
        return out;
    }
}
