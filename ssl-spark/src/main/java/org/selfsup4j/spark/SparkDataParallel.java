package org.selfsup4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Synchronous data-parallel pretraining on Spark: one barrier stage of W tasks, one model replica
 * per task, exchanges through {@code BarrierTaskContext.allGather} ({@link BarrierCollective}).
 *
 * <p>Barrier mode (SPIP SPARK-24374, "Barrier Execution Mode") launches all W tasks together and
 * restarts all of them if one fails; it needs W free task slots ({@code local[W]} or more, or a
 * cluster with W executor cores) and no dynamic allocation. The stage's input is the ranks 0..W-1,
 * one per partition: the data come from the {@link ShardSource}, read on the executors.
 *
 * <p>The algorithm is {@link DataParallelWorker}'s; the driver only collects the reports and checks
 * that the replicas ended identical.
 *
 * <p>Retries: when a task fails, Spark retries the whole barrier stage (it is a map stage: the reports
 * go through a one-partition shuffle, since Spark does not retry a barrier result stage). A retried
 * stage (stage attempt above 0) with a checkpoint folder resumes from the newest checkpoint instead of starting over, so
 * the run continues from rank 0's last checkpoint as if it had not failed.
 */
public final class SparkDataParallel {
    private SparkDataParallel() {
    }

    /**
     * @param sc the Spark context
     * @param workers W, the number of barrier tasks (= replicas)
     * @param factory builds each task's replica
     * @param source each task's shard of every global batch
     * @param config the run
     * @return the workers' reports in rank order
     */
    public static DataParallelRun run(JavaSparkContext sc, int workers, ReplicaFactory factory, ShardSource source,
                                      DataParallelConfig config) {
        if (workers < 1) {
            throw new IllegalArgumentException("SparkDataParallel: expected at least one worker, got " + workers);
        }
        List<Integer> ranks = IntStream.range(0, workers).boxed().toList();
        RDD<Integer> rdd = sc.parallelize(ranks, workers).rdd();
        ClassTag<WorkerResult> tag = ClassTag$.MODULE$.apply(WorkerResult.class);
        RDD<WorkerResult> out = rdd.barrier().mapPartitions(new Task(factory, source, config), false, tag);
        // the shuffle makes the barrier stage a map stage: Spark retries a failed barrier map stage,
        // but aborts a failed barrier result stage ("Could not recover from a failed barrier ResultStage")
        return DataParallelRun.of(new ArrayList<>(JavaRDD.fromRDD(out, tag).repartition(1).collect()));
    }

    /** The barrier task's body: one {@link DataParallelWorker} on this task's {@link BarrierCollective}. */
    static final class Task extends AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<WorkerResult>>
            implements Serializable {
        private static final long serialVersionUID = 1L;
        private final ReplicaFactory factory;
        private final ShardSource source;
        private final DataParallelConfig config;

        Task(ReplicaFactory factory, ShardSource source, DataParallelConfig config) {
            this.factory = factory;
            this.source = source;
            this.config = config;
        }

        @Override
        public scala.collection.Iterator<WorkerResult> apply(scala.collection.Iterator<Integer> ranks) {
            BarrierTaskContext context = BarrierTaskContext.get();
            BarrierCollective collective = new BarrierCollective(context, config.barrierWakeMillis());
            boolean retried = context.stageAttemptNumber() > 0 && config.checkpointDir() != null;
            WorkerResult result = DataParallelWorker.run(factory, source, collective, retried ? config.resuming() : config);
            return JavaConverters.asScalaIteratorConverter(List.of(result).iterator()).asScala();
        }
    }
}
