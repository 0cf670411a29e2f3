package org.selfsup4j.vision.methods;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.selfsup4j.core.Checks;
import org.selfsup4j.core.nn.Linear;
import org.selfsup4j.core.nn.Module;
import org.selfsup4j.core.nn.Parameter;
import org.selfsup4j.core.train.Objective;
import org.selfsup4j.core.train.ObjectiveOutput;
import org.selfsup4j.core.train.StepContext;

/**
 * The generative baselines' objective: decode the encoder's features back to the input view and
 * penalise the squared error; for the VAE, through a Gaussian latent with a KL term.
 *
 * <pre>
 *   autoencoder:  x^ = dec(h),                                   loss = (1/(N P)) sum (x^ - x)^2
 *   VAE:          [mu, log s^2] = Linear(h),  z = mu + exp(log s^2 / 2) eps,  eps ~ N(0, I)
 *                 x^ = dec(z),  loss = (1/(N P)) [ sum (x^ - x)^2 + beta sum_j KL_j ]
 *                 KL_j = -1/2 (1 + log s_j^2 - mu_j^2 - s_j^2)
 * </pre>
 *
 * h: encoder features {@code [N, D]}; x: the view {@code [N, C, H, W]}; P = C H W. Dividing by P keeps
 * the loss on the scale of a per-pixel MSE. For the VAE with beta = 1 it is, up to constants and the
 * factor 1/(N P), the negative ELBO of a Gaussian decoder of variance 1/2 per (normalised, unit-variance)
 * pixel: sum (x^ - x)^2 / (2 * 1/2) + KL (Kingma &amp; Welling, "Auto-Encoding Variational Bayes", ICLR
 * 2014); beta weights the KL as in Higgins et al. 2017.
 * Noise comes from the step's seeded generator, so a resumed run repeats it. log s^2 is clamped to
 * [-10, 10] in the exponent (the gradient ignores the clamp).
 */
public final class ReconstructionObjective implements Objective {
    private static final long NOISE_STREAM = 0x7AE1L;
    private static final double LOGVAR_CLAMP = 10.0;

    private final Module decoder;
    private final Linear latentHead;
    private final int latent;
    private final double beta;

    /**
     * An autoencoder objective.
     *
     * @param decoder maps features {@code [N, D]} to images shaped like the view
     * @return the objective
     */
    public static ReconstructionObjective autoencoder(Module decoder) {
        return new ReconstructionObjective(decoder, null, 0, 0);
    }

    /**
     * A VAE objective.
     *
     * @param latentHead {@code Linear(D, 2 L)} giving {@code [mu, log s^2]}
     * @param decoder maps latents {@code [N, L]} to images shaped like the view
     * @param beta KL weight (1 for the plain VAE)
     * @return the objective
     */
    public static ReconstructionObjective vae(Linear latentHead, Module decoder, double beta) {
        if (latentHead.outFeatures() % 2 != 0) {
            throw new IllegalArgumentException("ReconstructionObjective.vae: latentHead must output 2 L values, got "
                    + latentHead.outFeatures());
        }
        Checks.nonNegative("ReconstructionObjective.vae", "beta", beta);
        return new ReconstructionObjective(decoder, latentHead, latentHead.outFeatures() / 2, beta);
    }

    private ReconstructionObjective(Module decoder, Linear latentHead, int latent, double beta) {
        this.decoder = decoder;
        this.latentHead = latentHead;
        this.latent = latent;
        this.beta = beta;
    }

    /** @return true for the VAE */
    public boolean variational() {
        return latentHead != null;
    }

    @Override
    public ObjectiveOutput compute(List<INDArray> inputs, List<INDArray> embeddings, StepContext context) {
        if (inputs.size() != 1 || embeddings.size() != 1) {
            throw new IllegalArgumentException("ReconstructionObjective.compute: expected one view, got "
                    + inputs.size());
        }
        INDArray x = inputs.get(0);
        INDArray h = embeddings.get(0);
        long n = x.size(0);
        double p = x.length() / (double) n;
        double scale = 1.0 / (n * p);
        INDArray z = h;
        INDArray mu = null;
        INDArray logvar = null;
        INDArray std = null;
        INDArray eps = null;
        if (latentHead != null) {
            INDArray stats = latentHead.forward(h, true);
            mu = stats.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent));
            logvar = stats.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2 * latent));
            std = Transforms.exp(Transforms.min(Transforms.max(logvar, -LOGVAR_CLAMP, true), LOGVAR_CLAMP, false)
                    .muli(0.5), false);
            eps = gaussian(context.random(NOISE_STREAM), n, latent, h);
            z = mu.mul(1.0).addi(std.mul(eps));
        }
        INDArray xhat = decoder.forward(z, true);
        if (!java.util.Arrays.equals(xhat.shape(), x.shape())) {
            throw new IllegalStateException("ReconstructionObjective.compute: the decoder produced "
                    + java.util.Arrays.toString(xhat.shape()) + " for a view of " + java.util.Arrays.toString(x.shape()));
        }
        INDArray diff = xhat.sub(x.castTo(xhat.dataType()));
        double recon = diff.norm2Number().doubleValue();
        recon = recon * recon * scale;
        INDArray gradZ = decoder.backward(diff.muli(2 * scale));
        if (latentHead == null) {
            return new ObjectiveOutput(recon, List.of(gradZ), Map.of("recon", recon));
        }
        INDArray var = std.mul(std);
        double kl = -0.5 * (logvar.sumNumber().doubleValue() + n * latent - mu.mul(mu).sumNumber().doubleValue()
                - var.sumNumber().doubleValue()) * scale;
        INDArray gradStats = Nd4j.create(h.dataType(), n, 2L * latent);
        // d/dmu: upstream + beta mu; d/dlogvar: upstream * eps * s / 2 + beta (s^2 - 1) / 2
        gradStats.get(NDArrayIndex.all(), NDArrayIndex.interval(0, latent)).assign(gradZ.add(mu.mul(beta * scale)));
        gradStats.get(NDArrayIndex.all(), NDArrayIndex.interval(latent, 2 * latent))
                .assign(gradZ.mul(eps).muli(std).muli(0.5).addi(var.sub(1.0).muli(0.5 * beta * scale)));
        INDArray gradH = latentHead.backward(gradStats);
        return new ObjectiveOutput(recon + beta * kl, List.of(gradH), Map.of("recon", recon, "kl", kl));
    }

    private static INDArray gaussian(SplittableRandom rng, long n, int latent, INDArray like) {
        double[] v = new double[(int) (n * latent)];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return Nd4j.create(v, new long[] {n, latent}, like.dataType());
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        if (latentHead != null) {
            for (Parameter p : latentHead.parameters()) {
                ps.add(p.prefixed("latent"));
            }
        }
        for (Parameter p : decoder.parameters()) {
            ps.add(p.prefixed("decoder"));
        }
        return ps;
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new java.util.LinkedHashMap<>();
        decoder.buffers().forEach((k, v) -> s.put("decoder/" + k, v));
        return s;
    }
}
