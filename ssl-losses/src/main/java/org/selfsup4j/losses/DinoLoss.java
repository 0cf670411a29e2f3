package org.selfsup4j.losses;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.selfsup4j.core.Checks;

/**
 * DINO's self-distillation loss: the student's softmax over K prototypes, at temperature tau_s,
 * against the teacher's centered and sharpened softmax, over multi-crop pairs.
 *
 * <pre>
 *   P_t(i) = softmax((t_i - c) / tau_t)           teacher, 2 global crops i = 0, 1, each [B, K]
 *   P_s(v) = softmax(s_v / tau_s)                 student, V crops (2 global first, then V - 2 local)
 *   L      = 1 / (2 (V - 1)) sum_{i = 0, 1} sum_{v != i} (1 / B) sum_b -P_t(i)_b . log P_s(v)_b
 *   afterwards: c &lt;- m c + (1 - m) mean_rows(t)    (center momentum m = 0.9)
 * </pre>
 * The pairs (i, v) with v = i (a teacher crop and the student's view of the same crop) are excluded,
 * as in the reference; the center used is the one before this call's update.
 *
 * <table>
 *   <caption>Shapes</caption>
 *   <tr><th>argument</th><th>shape</th><th>gradient</th></tr>
 *   <tr><td>student (index 0), raw head outputs of all V crops, crop-major</td><td>[V B, K]</td><td>[V B, K]</td></tr>
 *   <tr><td>teacher, raw head outputs of the 2 global crops, crop-major</td><td>[2 B, K]</td><td>none (stop-gradient)</td></tr>
 *   <tr><td>teacherTemperature tau_t, e.g. {@link DinoTeacherTemperature#at(int)}</td><td>scalar</td><td></td></tr>
 *   <tr><td>value</td><td>scalar</td><td></td></tr>
 * </table>
 *
 * <p>Reduction: mean over the B samples of each pair, then over the {@code 2 (V - 1)} pairs
 * ({@code n_loss_terms}). Paper: M. Caron, H. Touvron, I. Misra, H. Jegou, J. Mairal, P. Bojanowski,
 * A. Joulin, "Emerging Properties in Self-Supervised Vision Transformers", ICCV 2021; reference:
 * facebookresearch/dino {@code main_dino.py}, {@code DINOLoss} (defaults {@code out_dim = 65536},
 * {@code student_temp = 0.1}, {@code center_momentum = 0.9}, {@code local_crops_number = 8}).
 *
 * <p>State: the center {@code c} [1, K], starting at zero as in the reference, updated by every
 * {@code compute} (single device: the batch mean is this process's; under data parallelism a
 * caller all-reduces the teacher outputs first). {@link #state()} exposes it for checkpoints. The
 * result has one gradient, the student's (index 0): the teacher is a momentum encoder and gets
 * none. Deviations: none measurable in the value; the student's log-sum-exp is computed once per row
 * instead of once per pair, and shifted logits are floored at -60 before the exponential (a term below
 * 1e-26 of its row's largest; see {@code MultiCropCrossEntropy}). Gradients are valid until the next {@code compute} on this instance; not thread-safe.
 */
public final class DinoLoss {
    /** DINO's output dimension K ({@code out_dim}). */
    public static final int DEFAULT_OUT_DIM = 65536;
    /** The student's temperature tau_s ({@code student_temp}). */
    public static final double DEFAULT_STUDENT_TEMPERATURE = 0.1;
    /** The center's momentum m ({@code center_momentum}). */
    public static final double DEFAULT_CENTER_MOMENTUM = 0.9;
    /** Global crops, the teacher's inputs (fixed by the method). */
    public static final int GLOBAL_CROPS = 2;
    /** DINO's default number of local crops ({@code local_crops_number}). */
    public static final int DEFAULT_LOCAL_CROPS = 8;

    private static final String WHERE = "DinoLoss.compute";

    private final int outDim;
    private final int crops;
    private final double studentTemperature;
    private final double centerMomentum;
    private final INDArray center;
    private final MultiCropCrossEntropy crossEntropy = new MultiCropCrossEntropy();
    private INDArray teacherProbs;
    private INDArray teacherRowSum;
    private INDArray teacherRowMax;

    /** With DINO's defaults: tau_s = 0.1, m = 0.9, 2 global + 8 local crops. */
    public DinoLoss(int outDim, DataType type) {
        this(outDim, GLOBAL_CROPS + DEFAULT_LOCAL_CROPS, DEFAULT_STUDENT_TEMPERATURE, DEFAULT_CENTER_MOMENTUM, type);
    }

    /**
     * @param outDim K, the number of prototypes (head outputs)
     * @param crops V &ge; 2, the student's crops (2 global + local)
     * @param studentTemperature tau_s &gt; 0
     * @param centerMomentum m in [0, 1)
     * @param type FLOAT or DOUBLE, the data type of the center and of the inputs
     */
    public DinoLoss(int outDim, int crops, double studentTemperature, double centerMomentum, DataType type) {
        this.outDim = Checks.positive("DinoLoss", "outDim K", outDim);
        this.crops = (int) Checks.inRange("DinoLoss", "crops V", crops, GLOBAL_CROPS, Integer.MAX_VALUE);
        this.studentTemperature = Checks.positive("DinoLoss", "studentTemperature", studentTemperature);
        this.centerMomentum = Checks.unitInterval("DinoLoss", "centerMomentum", centerMomentum);
        this.center = Nd4j.zeros(Checks.floatType("DinoLoss", type), 1, outDim);
    }

    /** The student's temperature tau_s. */
    public double studentTemperature() {
        return studentTemperature;
    }

    /** The number of student crops V. */
    public int crops() {
        return crops;
    }

    /** The live center c [1, K] (read it, or {@code assign} a checkpointed one). */
    public INDArray center() {
        return center;
    }

    /** The state to checkpoint: {@code "center"}, the live array. */
    public Map<String, INDArray> state() {
        return Map.of("center", center);
    }

    /**
     * The loss and its gradient with respect to {@code student} (index 0); then updates the center
     * with {@code teacher}.
     *
     * @param student [V B, K], the student's outputs of all crops, crop-major
     * @param teacher [2 B, K], the teacher's outputs of the two global crops, crop-major
     * @param teacherTemperature tau_t &gt; 0 of this step
     * @throws IllegalArgumentException if a shape, the data type or the temperature is wrong
     */
    public LossResult compute(INDArray student, INDArray teacher, double teacherTemperature) {
        Checks.positive(WHERE, "teacherTemperature", teacherTemperature);
        Checks.matrix(WHERE, "student", student);
        Checks.matrix(WHERE, "teacher", teacher);
        Checks.dataType(WHERE, "student", student, center.dataType());
        Checks.dataType(WHERE, "teacher", teacher, center.dataType());
        long b = teacher.size(0) / GLOBAL_CROPS;
        if (teacher.size(1) != outDim || teacher.size(0) != GLOBAL_CROPS * b) {
            throw new IllegalArgumentException(WHERE + ": teacher must be [2 B, " + outDim
                    + "] (two global crops, K = outDim), got " + Checks.shape(teacher));
        }
        if (student.size(1) != outDim || student.size(0) != crops * b) {
            throw new IllegalArgumentException(WHERE + ": student must be [" + crops + " B, " + outDim + "] = ["
                    + crops * b + ", " + outDim + "] (V = " + crops + " crops of the teacher's B = " + b + "), got "
                    + Checks.shape(student));
        }
        Checks.intSize(WHERE, "V B K", student.length());

        // teacher: softmax((t - c) / tau_t), each row shifted by its own maximum (tau_t = 0.04 sharpens hard)
        if (teacherProbs == null || teacherProbs.dataType() != teacher.dataType()
                || teacherProbs.size(0) != teacher.size(0)) {
            teacherProbs = Nd4j.createUninitialized(teacher.dataType(), teacher.size(0), outDim);
            teacherRowSum = Nd4j.createUninitialized(teacher.dataType(), teacher.size(0), 1);
            teacherRowMax = Nd4j.createUninitialized(teacher.dataType(), teacher.size(0), 1);
        }
        teacherProbs.assign(teacher).subiRowVector(center).muli(1.0 / teacherTemperature);
        MultiCropCrossEntropy.shiftedExpRowSums(teacherProbs, teacherRowMax, teacherRowSum);
        teacherProbs.diviColumnVector(teacherRowSum);

        double value = crossEntropy.compute(student, teacherProbs, crops, studentTemperature);

        // c <- m c + (1 - m) mean over the 2B teacher rows
        center.muli(centerMomentum).addi(teacher.mean(true, 0).muli(1.0 - centerMomentum));
        return new LossResult(value, Map.of(), crossEntropy.gradient());
    }

    /** The teacher's probabilities of the last call, [2 B, K]; overwritten by the next. */
    INDArray teacherProbabilities() {
        return teacherProbs;
    }
}
