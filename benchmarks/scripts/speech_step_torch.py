"""One wav2vec 2.0 or HuBERT pre-training step of the speech CLI's small model in PyTorch, as
StepProfile's wav2vec2-small / hubert-small cases time it in Java (issue #17 item 4).

Run: benchmarks/scripts/torch_env.sh benchmarks/scripts/speech_step_torch.py --method wav2vec2|hubert
     [--batch 8] [--samples 4000] [--steps 20] [--warmup 5] [--threads 2]

The architecture is Wav2Vec2Config.small() as ssl-speech builds it (fairseq's modules, written out so
that both sides compute the same thing):
  feature encoder  5 bias-free Conv1d (1->128 k10 s5, 128->128 k3 s2 x3, 128->256 k3 s2), GroupNorm(128, 128)
                   after the first, exact GELU after each; 4,000 samples (0.5 s at 8 kHz) -> 49 frames
  gradient x 0.1 into the feature encoder (feature_grad_mult), feature penalty 10 * mean(z^2)
  LayerNorm(256), post_extract_proj Linear(256, 256), span masking (p 0.65 wav2vec 2.0 / 0.8 HuBERT,
                   M = 10, min 2 spans, every utterance cut to the least-masked one's count), learned mask_emb
  context network  pos conv Conv1d(256, 256, k16, groups 8, "same" padding, last frame dropped) + GELU,
                   x + pos, LayerNorm, 3 post-LN layers (4-head self-attention, FFN 1024, exact GELU)
  wav2vec 2.0      final_proj Linear(256, 128); Gumbel quantizer of LN(z): weight_proj Linear(256, 2 x 64),
                   hard Gumbel-softmax (tau 2), codebook 2 x 64 x 64 -> 128, project_q Linear(128, 128);
                   20 distractors per masked frame from the same utterance's masked frames, cosine / 0.1,
                   a distractor equal to the positive dropped; + 0.5 * M * diversity + 10 * M * penalty, / M
  HuBERT           final_proj Linear(256, 128) of the masked frames, cosine / 0.1 against 50 label embeddings,
                   cross-entropy summed / M + 10 * penalty; fixed random labels (the Java case's labeler
                   returns fixed labels too: k-means of MFCCs is data preparation, not the step)
  Adam (lr 5e-4, torch's defaults) over every parameter.
As the Java side: the quantizer runs on all frames, no dropout, no weight norm on the positional conv.
One step = zero_grad, forward, loss, backward, Adam step, with new masks and distractors each step.
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F

import benchutil

CONV_CHANNELS = [128, 128, 128, 128, 256]
CONV_KERNELS = [10, 3, 3, 3, 3]
CONV_STRIDES = [5, 2, 2, 2, 2]
DIM, LAYERS, HEADS, FFN = 256, 3, 4, 1024
POS_KERNEL, POS_GROUPS = 16, 8
MASK_LENGTH, MIN_MASKS = 10, 2
GROUPS, ENTRIES, CODE_DIM, FINAL_DIM = 2, 64, 128, 128
DISTRACTORS, KAPPA, DIVERSITY, PENALTY, GRAD_MULT = 20, 0.1, 0.5, 10.0, 0.1
TAU_START = 2.0
HUBERT_CLUSTERS, HUBERT_TAU = 50, 0.1


class GradMultiply(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale):
        ctx.scale = scale
        return x.clone()

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None


class FeatureEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        layers, c_in = [], 1
        for i, (c, k, s) in enumerate(zip(CONV_CHANNELS, CONV_KERNELS, CONV_STRIDES)):
            block = [nn.Conv1d(c_in, c, k, s, bias=False)]
            if i == 0:
                block.append(nn.GroupNorm(c, c))
            block.append(nn.GELU())
            layers.append(nn.Sequential(*block))
            c_in = c
        self.layers = nn.Sequential(*layers)

    def forward(self, wave):
        return self.layers(wave.unsqueeze(1)).transpose(1, 2)


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(DIM, HEADS, batch_first=True)
        self.ln1 = nn.LayerNorm(DIM)
        self.fc1 = nn.Linear(DIM, FFN)
        self.fc2 = nn.Linear(FFN, DIM)
        self.ln2 = nn.LayerNorm(DIM)

    def forward(self, x):
        x = self.ln1(x + self.attn(x, x, x, need_weights=False)[0])
        return self.ln2(x + self.fc2(F.gelu(self.fc1(x))))


class Trunk(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = FeatureEncoder()
        self.layer_norm = nn.LayerNorm(CONV_CHANNELS[-1])
        self.post_extract_proj = nn.Linear(CONV_CHANNELS[-1], DIM)
        self.mask_emb = nn.Parameter(torch.rand(DIM))
        self.pos_conv = nn.Conv1d(DIM, DIM, POS_KERNEL, padding=POS_KERNEL // 2, groups=POS_GROUPS)
        self.enc_norm = nn.LayerNorm(DIM)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))

    def forward(self, wave, mask):
        z = GradMultiply.apply(self.features(wave), GRAD_MULT)
        penalty = z.float().pow(2).mean()
        u = self.layer_norm(z)
        x = self.post_extract_proj(u)
        x = torch.where(mask.unsqueeze(-1), self.mask_emb.to(x.dtype), x)
        p = self.pos_conv(x.transpose(1, 2))[:, :, :-1] if POS_KERNEL % 2 == 0 else self.pos_conv(x.transpose(1, 2))
        x = self.enc_norm(x + F.gelu(p).transpose(1, 2))
        for layer in self.layers:
            x = layer(x)
        return x, u, penalty


def span_mask(n, t, p, gen):
    """fairseq's compute_mask_indices, static spans, overlaps allowed, every row cut to the smallest count."""
    mask = torch.zeros(n, t, dtype=torch.bool)
    for i in range(n):
        spans = max(MIN_MASKS, int(p * t / MASK_LENGTH + torch.rand(1, generator=gen).item()))
        high = t - MASK_LENGTH
        if high <= spans:
            spans = high - 1
        starts = torch.randperm(high, generator=gen)[:spans]
        for s in starts.tolist():
            mask[i, s:s + MASK_LENGTH] = True
    least = int(mask.sum(1).min())
    for i in range(n):
        idx = mask[i].nonzero().squeeze(1)
        if len(idx) > least:
            drop = idx[torch.randperm(len(idx), generator=gen)[:len(idx) - least]]
            mask[i, drop] = False
    return mask


class Wav2Vec2(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = Trunk()
        self.final_proj = nn.Linear(DIM, FINAL_DIM)
        self.weight_proj = nn.Linear(CONV_CHANNELS[-1], GROUPS * ENTRIES)
        nn.init.normal_(self.weight_proj.weight, 0, 1)
        nn.init.zeros_(self.weight_proj.bias)
        self.vars = nn.Parameter(torch.rand(GROUPS * ENTRIES, CODE_DIM // GROUPS))
        self.project_q = nn.Linear(CODE_DIM, FINAL_DIM)

    def loss(self, wave, gen):
        n = wave.shape[0]
        t = frames(wave.shape[1])
        mask = span_mask(n, t, 0.65, gen)
        x, u, penalty = self.trunk(wave, mask)
        c = self.final_proj(x[mask]).view(n, -1, FINAL_DIM)
        m = c.shape[1]
        logits = self.weight_proj(u).view(n * t * GROUPS, ENTRIES)
        hard = F.gumbel_softmax(logits.float(), tau=TAU_START, hard=True).type_as(logits)
        q = (hard.view(n * t, GROUPS, ENTRIES, 1) * self.vars.view(GROUPS, ENTRIES, -1)).sum(2).view(n, t, CODE_DIM)
        y = self.project_q(q)[mask].view(n, m, FINAL_DIM)
        # distractors: K other masked frames of the same utterance (fairseq's sample_negatives)
        draw = torch.randint(0, m - 1, (n, m, DISTRACTORS), generator=gen)
        draw = draw + (draw >= torch.arange(m).view(1, m, 1)).long()
        negs = torch.gather(y.unsqueeze(1).expand(n, m, m, FINAL_DIM), 2,
                            draw.unsqueeze(-1).expand(n, m, DISTRACTORS, FINAL_DIM))
        targets = torch.cat([y.unsqueeze(2), negs], 2)
        sims = F.cosine_similarity(c.unsqueeze(2).float(), targets.float(), dim=-1) / KAPPA
        same = (negs == y.unsqueeze(2)).all(-1)
        sims = torch.cat([sims[..., :1], sims[..., 1:].masked_fill(same, float("-inf"))], -1)
        contrastive = F.cross_entropy(sims.view(-1, DISTRACTORS + 1), torch.zeros(n * m, dtype=torch.long),
                                      reduction="sum")
        probs = torch.softmax(logits.view(n, t, GROUPS, ENTRIES)[mask].float(), -1).mean(0)
        perplexity = torch.exp(-torch.sum(probs * torch.log(probs + 1e-7), -1)).sum()
        diversity = (GROUPS * ENTRIES - perplexity) / (GROUPS * ENTRIES)
        count = n * m
        return (contrastive + DIVERSITY * count * diversity + PENALTY * count * penalty) / count


class Hubert(nn.Module):
    def __init__(self):
        super().__init__()
        self.trunk = Trunk()
        self.final_proj = nn.Linear(DIM, FINAL_DIM)
        self.label_embs = nn.Parameter(torch.rand(HUBERT_CLUSTERS, FINAL_DIM))

    def loss(self, wave, gen, labels):
        n = wave.shape[0]
        t = frames(wave.shape[1])
        mask = span_mask(n, t, 0.8, gen)
        x, _, penalty = self.trunk(wave, mask)
        proj = self.final_proj(x[mask])
        logits = F.cosine_similarity(proj.float().unsqueeze(1), self.label_embs.float().unsqueeze(0), dim=-1) / HUBERT_TAU
        ce = F.cross_entropy(logits, labels[mask], reduction="sum")
        return ce / proj.shape[0] + PENALTY * penalty


def frames(samples):
    for k, s in zip(CONV_KERNELS, CONV_STRIDES):
        samples = (samples - k) // s + 1
    return samples


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--method", default="wav2vec2", choices=["wav2vec2", "hubert"])
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--samples", type=int, default=4000)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    benchutil.setup()
    torch.set_num_threads(args.threads)
    gen = torch.Generator().manual_seed(1)
    model = Wav2Vec2() if args.method == "wav2vec2" else Hubert()
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    wave = torch.randn(args.batch, args.samples)
    labels = torch.randint(0, HUBERT_CLUSTERS, (args.batch, frames(args.samples)), generator=gen)
    last = []

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model.loss(wave, gen) if args.method == "wav2vec2" else model.loss(wave, gen, labels)
        loss.backward()
        opt.step()
        last[:] = [loss.item()]

    stats = benchutil.step_stats(step, warmup=args.warmup, runs=args.steps)
    params = sum(p.numel() for p in model.parameters())
    print(f"case torch-{args.method}-small: {args.steps} steps after {args.warmup} warm-up, batch {args.batch} x "
          f"{args.samples} samples ({frames(args.samples)} frames), {params} parameters, {args.threads} threads, "
          f"last loss {last[0]:.5f}", flush=True)
    benchutil.print_result(f"torch-{args.method}-small", stats)


if __name__ == "__main__":
    main()
