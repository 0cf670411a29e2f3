package org.selfsup4j.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.selfsup4j.speech.io.Audio;
import org.selfsup4j.speech.io.WavReader;
import org.selfsup4j.speech.pretrained.SpeechEncoder;

/**
 * A speech encoder's batch variant on WAV files: each read ({@link WavReader}) and mixed down to mono,
 * then one batched {@link SpeechEncoder#embed(List, int)} per sample rate among them (the batch
 * variant takes one rate and resamples to the file's), rows back in input order.
 *
 * @param encoder the speech encoder
 */
record WavBatch(SpeechEncoder encoder) implements Embedder.Batch {
    private static final WavReader READER = WavReader.create();

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
