package org.selfsup4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Local Spark contexts for the tests: loopback only, no UI, quiet. */
final class SparkContexts {
    private SparkContexts() {
    }

    /**
     * @param master e.g. {@code local[2]} (a failed task fails the job: local mode allows one failure)
     *               or {@code local[2,2]} (two)
     */
    static JavaSparkContext local(String master) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("selfsup4j-spark-test")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel("WARN");
        return sc;
    }
}
