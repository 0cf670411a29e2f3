/**
 * Self-supervised loss kernels with exact, hand-written gradients: {@link org.selfsup4j.losses.NtXentLoss}
 * (SimCLR), {@link org.selfsup4j.losses.InfoNceLoss} with {@link org.selfsup4j.losses.MocoQueue} (MoCo),
 * {@link org.selfsup4j.losses.ByolLoss}, {@link org.selfsup4j.losses.VicRegLoss} and
 * {@link org.selfsup4j.losses.BarlowTwinsLoss}; and the masked-frame predictive losses of speech:
 * {@link org.selfsup4j.losses.Wav2Vec2Loss} (contrastive over quantized targets with distractors from
 * {@link org.selfsup4j.losses.DistractorSampler}, codebook diversity, feature penalty),
 * {@link org.selfsup4j.losses.HubertLoss} (masked cluster prediction) and
 * {@link org.selfsup4j.losses.IlsSslLoss} (the same at intermediate layers). Multi-crop SimCLR:
 * {@link org.selfsup4j.losses.MultiCropNtXentLoss}. The losses of the next methods (issue #18; their
 * assemblies come next): {@link org.selfsup4j.losses.SimSiamLoss}, {@link org.selfsup4j.losses.MocoV3Loss},
 * {@link org.selfsup4j.losses.DinoLoss} with {@link org.selfsup4j.losses.DinoTeacherTemperature},
 * {@link org.selfsup4j.losses.SwavLoss} and {@link org.selfsup4j.losses.MaePixelLoss}.
 *
 * <p>Each loss computes its value and the gradient with respect to every argument in one call,
 * returning a {@link org.selfsup4j.losses.LossResult} (speech losses: a
 * {@link org.selfsup4j.losses.MaskedPredictionResult}, which also carries per-step mean and accuracy). Kernels work in the data type of their inputs
 * (float32 or float64), use GEMM into preallocated buffers and in-place element-wise ops, and keep
 * those buffers between calls (re-allocated only when the input shapes or data type change).
 * Consequently the gradients of a result are views of a loss instance's buffers and stay valid
 * until the next {@code compute} on the same instance; {@code dup()} them to keep them longer.
 * A loss instance is not thread-safe; use one instance per thread.
 *
 * <p>Losses hold no training state but DINO's teacher center ({@link org.selfsup4j.losses.DinoLoss#state()}):
 * the MoCo queue of negatives is its own object, {@link org.selfsup4j.losses.MocoQueue}. The package {@link org.selfsup4j.losses.objective} plugs the
 * losses into the core trainer as objectives (SimCLR, MoCo v2, BYOL, VICReg, Barlow Twins).
 *
 * <p>Nothing here knows a modality's file formats or models: inputs are arrays.
 */
package org.selfsup4j.losses;
