package org.selfsup4j.losses.objective;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.optim.MomentumSchedule;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;
import org.selfsup4j.losses.DinoLoss;
import org.selfsup4j.losses.DinoTeacherTemperature;
import org.selfsup4j.losses.LossResult;

/**
 * DINO (Caron et al., "Emerging Properties in Self-Supervised Vision Transformers", ICCV 2021):
 * self-distillation without labels. The student (the trainer's encoder: backbone + DINO head) sees
 * every crop; the teacher, an EMA of the student, sees the two global crops; the student's
 * softmax at tau_s matches the teacher's centered, sharpened softmax at tau_t.
 *
 * <pre>
 *   s_v = student(x_v)  for all V crops,   t_g = teacher(x_g)  for g in {0, 1}      (no gradient through t)
 *   loss = DinoLoss(s, t, tau_t(epoch))     (cross-entropy over the 2 (V - 1) pairs g != v; see {@link DinoLoss})
 *   tau_t(epoch): linear warm-up ({@link DinoTeacherTemperature}), 0.04 -> 0.07 in the paper's ViT recipes
 *   after each loss: c = 0.9 c + 0.1 mean(t)   (inside DinoLoss)
 *   after each step: teacher = m_k teacher + (1 - m_k) student,  m_k: cosine from 0.996 to 1
 * </pre>
 *
 * <p>Views 0 and 1 are the global crops (the multi-crop layout of the assemblies); any further views
 * are the local crops, which the trainer may forward at their own smaller size. The teacher runs in
 * training mode (batch statistics), as the reference's teacher, never switched to {@code eval()}.
 * State: the teacher's weights ({@code "teacher/..."}) and DINO's center ({@code "center"}), both
 * checkpointed, so a resumed run continues bit for bit. Deviations from the reference
 * ({@code main_dino.py}): no gradient clipping and the last layer is not frozen in the first epoch
 * ({@code clip_grad}, {@code freeze_last_layer}); single device.
 */
public final class DinoObjective implements Objective {
    private static final String WHO = "DinoObjective";

    private final MomentumTarget teacher;
    private final DinoTeacherTemperature teacherTemperature;
    private final DinoLoss loss;
    private final CropStack studentStack = new CropStack();
    private final CropStack teacherInput = new CropStack();

    /**
     * @param student the trainer's encoder (backbone + DINO head)
     * @param teacher a second instance of the same architecture; overwritten with the student's weights
     * @param loss DINO's loss with its crop count V, output dimension K, tau_s and center momentum
     * @param teacherTemperature tau_t by epoch, e.g. {@link DinoTeacherTemperature#dino()}
     * @param momentum the teacher's EMA schedule
     */
    public DinoObjective(Module student, Module teacher, DinoLoss loss, DinoTeacherTemperature teacherTemperature,
                         MomentumSchedule momentum) {
        this.teacher = new MomentumTarget(student, teacher, momentum);
        this.loss = loss;
        this.teacherTemperature = teacherTemperature;
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        int v = loss.crops();
        if (embeddings.size() != v || inputs.size() != v) {
            throw new IllegalArgumentException(WHO + ": expected " + v + " crops (2 global first, then local), one input"
                    + " per embedding, got " + embeddings.size() + " embeddings and " + inputs.size() + " inputs");
        }
        long b = embeddings.get(0).size(0);
        INDArray student = studentStack.stack(WHO, embeddings, v);
        INDArray t = teacher.forward(teacherInput.stack(WHO, inputs, DinoLoss.GLOBAL_CROPS));
        double tau = teacherTemperature.at((int) Math.min(Integer.MAX_VALUE, context.epoch()));
        LossResult r = loss.compute(student, t, tau);
        return new ObjectiveOutput(r.value(), CropStack.split(r.gradient(0), v, b),
                Map.of("teacher_temperature", tau, "tau", teacher.momentum(context)));
    }

    /** The teacher's weights under {@code "teacher/"} and the center under {@code "center"}: live arrays. */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = teacher.state("teacher/");
        s.putAll(loss.state());
        return s;
    }

    @Override
    public void afterOptimizerStep(StepContext context) {
        teacher.update(context);
    }
}
