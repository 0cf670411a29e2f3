package org.selfsup4j.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.selfsup4j.augment.ViewPipeline;
import org.selfsup4j.augment.image.FloatImage;
import org.selfsup4j.core.nn.NormFactory;
import org.selfsup4j.spark.Collective;
import org.selfsup4j.spark.ImageShardSource;
import org.selfsup4j.spark.Replica;
import org.selfsup4j.spark.ReplicaFactory;
import org.selfsup4j.spark.SyncBatchNorm;
import org.selfsup4j.vision.methods.Methods;
import org.selfsup4j.vision.methods.PretrainSetup;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * What a Spark executor needs to rebuild the driver's run: the {@code pretrain} command line itself.
 * It travels to the executors as strings; each one parses it into its own {@link PretrainExample} and
 * reads the data and assembles the method as the driver did (the same code, so the same images in the
 * same order, the same views and initial weights), with {@link SyncBatchNorm} for the batch norms.
 *
 * @param args the driver's options, paths made absolute (an executor's working folder is not the driver's)
 * @param totalSteps the driver's planned steps (the schedules read them)
 */
record SparkReplica(List<String> args, long totalSteps) implements ReplicaFactory, ImageShardSource.Recipe {
    /** The options that name a path. */
    private static final List<String> PATH_OPTIONS = List.of("--data", "--eval-data", "--out");

    SparkReplica {
        args = List.copyOf(args);
    }

    /** The matched options of {@code parsed}, in order, as a command line; paths absolute. */
    static List<String> argsOf(ParseResult parsed) {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            if (o.arity().max() == 0) {
                // a flag: present means set (pretrain's flags all default to false)
                if (Boolean.TRUE.equals(o.getValue())) {
                    out.add(o.longestName());
                }
                continue;
            }
            for (String v : o.originalStringValues()) {
                out.add(o.longestName());
                out.add(PATH_OPTIONS.contains(o.longestName()) ? Path.of(v).toAbsolutePath().normalize().toString() : v);
            }
        }
        return out;
    }

    @Override
    public Replica build(Collective collective) {
        PretrainSetup s = setup(SyncBatchNorm.factory(collective));
        // SimCLR, VICReg and Barlow Twins (SparkOptions.METHODS) read only the embeddings
        return new Replica(s.encoder(), s.objective(), s.optimizer(), s.views().numViews(), false);
    }

    @Override
    public List<FloatImage> images() {
        return loaded().data().train().images();
    }

    @Override
    public ViewPipeline<FloatImage> pipeline() {
        return setup(NormFactory.BATCH_NORM).views();
    }

    private PretrainSetup setup(NormFactory norm) {
        Loaded l = loaded();
        return Methods.assemble(l.command().method, l.command().methodConfig(l.data(), totalSteps).withNorm(norm),
                l.command().methodOptions(l.data()));
    }

    /** The parsed command and its data. */
    private record Loaded(PretrainExample command, PretrainExample.Data data) {
    }

    /** The last command line loaded in this JVM: the tasks of one run (local mode: all of them) share its images. */
    private static Loaded cached;
    private static List<String> cachedArgs;

    private Loaded loaded() {
        synchronized (SparkReplica.class) {
            if (!args.equals(cachedArgs)) {
                PretrainExample p = new PretrainExample();
                new CommandLine(p).parseArgs(args.toArray(new String[0]));
                p.validate();
                try {
                    cached = new Loaded(p, p.loadData());
                } catch (IOException e) {
                    throw new UncheckedIOException("SparkReplica: reading the images of " + args + " failed", e);
                }
                cachedArgs = args;
            }
            return cached;
        }
    }
}
