/**
 * selfsup4j core: what every self-supervised method needs and no modality knows about.
 *
 * <ul>
 *   <li>{@link org.selfsup4j.core.nn} — the {@code Module}/{@code Encoder} contract, trainable
 *       {@code Parameter}s and the standard building blocks with hand-written backward passes;</li>
 *   <li>{@link org.selfsup4j.core.samediff} — the same contract for networks written as SameDiff graphs;</li>
 *   <li>{@link org.selfsup4j.core.train} — the training loop, the {@code Objective} contract, the NaN
 *       guard, progress listeners and the collapse monitor;</li>
 *   <li>{@link org.selfsup4j.core.optim} — optimizers (SGD, Adam/AdamW, LARS), schedules, EMA copies;</li>
 *   <li>{@link org.selfsup4j.core.checkpoint} — atomic, checksummed checkpoints;</li>
 *   <li>{@link org.selfsup4j.core.eval} — kNN and linear-probe evaluation of frozen features.</li>
 * </ul>
 *
 * <p>Library code depends on {@code nd4j-api} only: the application picks the ND4J backend.
 */
package org.selfsup4j.core;
