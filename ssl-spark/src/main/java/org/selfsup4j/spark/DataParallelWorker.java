package org.selfsup4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.checkpoint.Checkpoint;
import org.selfsup4j.core.checkpoint.CheckpointStore;
import org.selfsup4j.core.train.StepMetricsCsv;
import org.selfsup4j.core.train.Trainer;

/**
 * One worker of synchronous data-parallel pretraining, whatever carries its exchanges (a Spark
 * barrier task, a thread): an unmodified {@link Trainer} over a {@link DistributedEncoder}, fed the
 * global batch that {@link ViewExchange} assembles from this worker's shard.
 *
 * <p>Per step: read the shard; the trainer's step, inside which the encoder forwards this worker's
 * rows and all-gathers the embeddings (with the input shards, if the objective reads its inputs), every worker evaluates the objective on the same global embeddings, back-propagates
 * its own rows and the parameter gradients are summed in rank order; then the same optimizer step,
 * EMA update and queue push on every replica. Identical inputs to every decision (loss, summed
 * gradients) keep the NaN guard's skips identical too, so all workers make the same sequence of
 * exchanges.
 *
 * <p>Checkpoints: rank 0 writes them (the trainer's own format); on resume every rank restores the
 * newest one, then the workers all-gather their restored step and refuse to start unless they agree.
 */
public final class DataParallelWorker {
    private DataParallelWorker() {
    }

    /**
     * @param factory builds this worker's model (the same deterministic recipe on every worker)
     * @param source the shards
     * @param collective the exchange among workers
     * @param config the run
     * @return the worker's report
     */
    public static WorkerResult run(ReplicaFactory factory, ShardSource source, Collective collective,
                                   DataParallelConfig config) {
        MeteredCollective metered = new MeteredCollective(collective);
        Replica replica = factory.build(metered);
        int rank = metered.rank();
        Trainer.Config tc = Trainer.Config.of(config.seed(), config.totalSteps());
        if (config.checkpointDir() != null && rank == 0) {
            tc = tc.withCheckpoints(Path.of(config.checkpointDir()), config.checkpointEvery())
                    .withMetadata(config.metadata());
        }
        DistributedEncoder encoder = new DistributedEncoder(replica.encoder(), metered, replica.views());
        Trainer trainer = new Trainer(tc, encoder, replica.objective(), replica.optimizer());
        if (config.resume()) {
            resume(trainer, config, metered);
        }
        long first = trainer.currentStep();
        ViewExchange exchange = new ViewExchange(encoder, metered, replica.objectiveReadsInputs());
        List<Double> losses = new ArrayList<>();
        long t0 = System.nanoTime();
        try (StepMetricsCsv metrics = rank == 0 && config.metricsCsv() != null
                ? StepMetricsCsv.open(Path.of(config.metricsCsv()), first) : null) {
            if (metrics != null) {
                trainer.addListener(metrics);
            }
            while (trainer.currentStep() < config.stopAtStep()) {
                List<INDArray> shard = source.shard(trainer.currentStep(), rank, metered.worldSize());
                if (shard.size() != replica.views()) {
                    throw new IllegalArgumentException("DataParallelWorker: expected " + replica.views()
                            + " views from the shard source, got " + shard.size());
                }
                losses.add(trainer.step(exchange.global(shard), source.stepsPerEpoch()).loss());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("DataParallelWorker: writing " + config.metricsCsv() + " failed", e);
        }
        long trainNanos = System.nanoTime() - t0;
        if (rank == 0 && config.checkpointDir() != null && trainer.currentStep() > first
                && (config.checkpointEvery() == 0 || trainer.currentStep() % config.checkpointEvery() != 0)) {
            trainer.saveCheckpoint();
        }
        Map<String, INDArray> state = trainer.stateArrays();
        Map<String, double[]> flat = new LinkedHashMap<>();
        if (rank == 0) {
            state.forEach((k, v) -> flat.put(k, v.castTo(DataType.DOUBLE).dup('c').data().asDouble()));
        }
        return new WorkerResult(rank, first, trainer.currentStep(), losses.stream().mapToDouble(Double::doubleValue).toArray(),
                digest(state), flat, metered.stats(), trainNanos);
    }

    private static void resume(Trainer trainer, DataParallelConfig config, Collective collective) {
        CheckpointStore store = new CheckpointStore(Path.of(config.checkpointDir()), Trainer.Config.DEFAULT_KEEP_LAST);
        Optional<Checkpoint> latest;
        try {
            latest = store.loadLatest();
        } catch (IOException e) {
            throw new UncheckedIOException("DataParallelWorker: reading checkpoints in " + config.checkpointDir()
                    + " failed", e);
        }
        latest.ifPresent(trainer::restore);
        byte[] mine = ByteBuffer.allocate(Long.BYTES).putLong(trainer.currentStep()).array();
        List<byte[]> all = collective.allGather("resume", mine);
        for (int r = 0; r < all.size(); r++) {
            long step = ByteBuffer.wrap(all.get(r)).getLong();
            if (step != trainer.currentStep()) {
                throw new IllegalStateException("DataParallelWorker: rank " + collective.rank() + " resumed at step "
                        + trainer.currentStep() + " but rank " + r + " at step " + step
                        + " (is the checkpoint folder shared by all workers?)");
            }
        }
    }

    /** SHA-256 over the keys and the bits of every array, in the trainer's order. */
    static String digest(Map<String, INDArray> state) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, INDArray> e : state.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                INDArray a = e.getValue();
                INDArray fp = a.dataType().isFPType() ? a : a.castTo(DataType.DOUBLE);
                md.update(ArrayBytes.encode(List.of(fp)));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
