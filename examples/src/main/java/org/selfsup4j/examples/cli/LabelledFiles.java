package org.selfsup4j.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.selfsup4j.examples.UserError;

/**
 * A labelled folder of {@code evaluate}: one subfolder per class (sorted by name; label = index),
 * each holding the files an encoder reads ({@link InputFiles}).
 *
 * @param files   the files, class by class
 * @param labels  the class index of each file
 * @param classes the class names
 */
record LabelledFiles(List<Path> files, int[] labels, List<String> classes) {
    /**
     * @param option  the option that named the folder, for messages
     * @param folder  a folder of class subfolders
     * @param classes the class names to use (those of the training folder, so the labels agree), or
     *                null to take them from {@code folder}
     * @param encoder the encoder that will read the files
     * @return the files and labels
     * @throws UserError when the folder is missing, has no class subfolders, has a class that
     *                   {@code classes} lacks, or a class folder holds no readable files
     */
    static LabelledFiles read(String option, Path folder, List<String> classes, Embedder encoder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw UserError.data(option + " " + folder + (Files.exists(folder) ? " is not a folder" : " does not exist"),
                    null);
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.list(folder)) {
            dirs = s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
        if (dirs.isEmpty()) {
            throw UserError.data(option + " " + folder + " has no class subfolders: evaluate needs one subfolder of "
                    + encoder.inputKind() + " files per class", null);
        }
        List<String> names = classes == null ? dirs.stream().map(d -> d.getFileName().toString()).toList() : classes;
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path d : dirs) {
            int label = names.indexOf(d.getFileName().toString());
            if (label < 0) {
                throw UserError.data(option + " " + folder + " has class '" + d.getFileName() + "', which the training "
                        + "data lacks (its classes: " + names + ")", null);
            }
            for (Path f : InputFiles.list(option, d, encoder)) {
                files.add(f);
                labels.add(label);
            }
        }
        return new LabelledFiles(List.copyOf(files), toArray(labels), names);
    }

    /**
     * A seeded stratified split: of each class, {@code round(n * fraction)} files (at least one when
     * the class has two or more) are held out, the others kept for training.
     *
     * @param fraction the fraction held out, in (0, 1)
     * @param seed     the shuffle seed
     * @return training part, then held-out part
     */
    List<LabelledFiles> split(double fraction, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Path> trainFiles = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        List<Path> heldFiles = new ArrayList<>();
        List<Integer> heldLabels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    idx.add(i);
                }
            }
            // Fisher-Yates with the one generator, class after class: the split is a function of the seed
            for (int i = idx.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                idx.set(j, idx.set(i, idx.get(j)));
            }
            int held = idx.size() < 2 ? 0 : Math.max(1, (int) Math.round(idx.size() * fraction));
            for (int k = 0; k < idx.size(); k++) {
                (k < held ? heldFiles : trainFiles).add(files.get(idx.get(k)));
                (k < held ? heldLabels : trainLabels).add(c);
            }
        }
        return List.of(new LabelledFiles(trainFiles, toArray(trainLabels), classes),
                new LabelledFiles(heldFiles, toArray(heldLabels), classes));
    }

    /** @return the number of files */
    int size() {
        return files.size();
    }

    private static int[] toArray(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).toArray();
    }
}
