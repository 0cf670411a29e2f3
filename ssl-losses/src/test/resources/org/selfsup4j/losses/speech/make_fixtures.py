"""Golden values and gradients for the speech losses of org.selfsup4j.losses.

Independent PyTorch (float64, autograd) implementations written after fairseq's code:
  wav2vec 2.0: Wav2Vec2Model.compute_preds / sample_negatives, GumbelVectorQuantizer.prob_perplexity,
               features_pen, Wav2vecCriterion (extra losses times sample_size)
  HuBERT:      HubertModel.compute_nce / compute_pred, HubertCriterion (reduction="sum")
  ILS-SSL:     the HuBERT loss at several layers, summed.
Run: /usr/bin/python3 make_fixtures.py   (writes speech_fixtures.json beside this script; needs torch >= 1.13)
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(20240501)
DT = torch.float64


def arr(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) if t.is_floating_point() else int(v) for v in t.reshape(-1).tolist()]}


def w2v_contrastive(c, q, mask, idx, kappa=0.1):
    """Per-step logits exactly as compute_preds: [pos; negs] cosine / kappa, neg_is_pos -> -inf."""
    B, T, D = c.shape
    K = idx.shape[2]
    xs, ys, negs = [], [], []
    for b in range(B):
        for t in range(T):
            if mask[b, t]:
                xs.append(c[b, t])
                ys.append(q[b, t])
                negs.append(q[b, idx[b, t]])  # (K, D)
    x = torch.stack(xs)                      # (M, D)
    y = torch.stack(ys)                      # (M, D)
    negatives = torch.stack(negs, dim=1)     # (K, M, D)
    neg_is_pos = (y == negatives).all(-1)
    targets = torch.cat([y.unsqueeze(0), negatives], dim=0)
    logits = torch.cosine_similarity(x, targets, dim=-1) / kappa   # (K+1, M)
    if neg_is_pos.any():
        logits = logits.clone()
        lo = logits[1:].clone()
        lo[neg_is_pos] = float("-inf")
        logits = torch.cat([logits[:1], lo], dim=0)
    logits = logits.transpose(0, 1)          # (M, K+1)
    target = logits.new_zeros(logits.size(0), dtype=torch.long)
    loss = F.cross_entropy(logits, target, reduction="sum")
    mx = logits.argmax(-1) == 0
    mn = logits.argmin(-1) == 0
    corr = int(mx.long().sum() - (mx & mn).long().sum())
    return loss, corr, logits.size(0)


def diversity(logits):
    Fr, G, V = logits.shape
    avg_probs = torch.softmax(logits.reshape(Fr, G, -1), dim=-1).mean(dim=0)
    perp = torch.exp(-torch.sum(avg_probs * torch.log(avg_probs + 1e-7), dim=-1)).sum()
    return (G * V - perp) / (G * V), perp


def feature_pen(z):
    return z.pow(2).mean()


def sample_idx(mask, K, gen):
    """fairseq-style: uniform over the other masked steps of the utterance, with replacement."""
    B, T = mask.shape
    idx = torch.full((B, T, K), -1, dtype=torch.long)
    for b in range(B):
        steps = [t for t in range(T) if mask[b, t]]
        m = len(steps)
        for r, t in enumerate(steps):
            u = torch.randint(0, m - 1, (K,), generator=gen)
            u[u >= r] += 1
            idx[b, t] = torch.tensor([steps[i] for i in u.tolist()])
    return idx


def hubert(o, W, bias, E, ids, mask, tau=0.1, w_m=1.0, w_u=0.0):
    def part(sel):
        proj = o[sel] @ W + (bias if bias is not None else 0)          # (S, Dp)
        y = torch.index_select(E, 0, ids[sel])                           # (S, Dp)
        negs = E.unsqueeze(1).expand(-1, proj.size(0), -1)               # (C, S, Dp)
        neg_is_pos = (y == negs).all(-1)
        targets = torch.cat([y.unsqueeze(0), negs], dim=0)
        logits = torch.cosine_similarity(proj, targets, dim=-1) / tau    # (C+1, S)
        lo = logits[1:].clone()
        lo[neg_is_pos] = float("-inf")
        logits = torch.cat([logits[:1], lo], dim=0).transpose(0, 1)
        tgt = logits.new_zeros(logits.size(0), dtype=torch.long)
        loss = F.cross_entropy(logits, tgt, reduction="sum")
        mx = logits.argmax(-1) == 0
        mn = logits.argmin(-1) == 0
        return loss, int(mx.long().sum() - (mx & mn).long().sum()), logits.size(0)

    lm, corr, nm = part(mask)
    value = w_m * lm
    count = nm if w_m > 0 else 0
    lu = torch.zeros((), dtype=o.dtype)
    if w_u > 0:
        lu, _, nu = part(~mask)
        value = value + w_u * lu
        count += nu
    return value, lm, lu, corr / nm, count


def leaf(*shape, scale=1.0):
    return (torch.randn(*shape, dtype=DT) * scale).requires_grad_(True)


out = {}

# ---- wav2vec 2.0 contrastive + diversity + feature penalty ----
B, T, D, K = 2, 7, 5, 4
c = leaf(B, T, D)
q_base = torch.randn(B, T, D, dtype=DT)
q_base[0, 3] = q_base[0, 1]          # identical quantized vectors: fairseq masks such distractors with -inf
q = q_base.clone().requires_grad_(True)
mask = torch.tensor([[1, 1, 0, 1, 1, 0, 1], [0, 1, 1, 0, 1, 0, 0]], dtype=torch.bool)
gen = torch.Generator().manual_seed(7)
idx = sample_idx(mask, K, gen)
idx[0, 1, 0] = 3                     # make sure the duplicate is used as a distractor
loss, corr, m = w2v_contrastive(c, q, mask, idx)
gc, gq = torch.autograd.grad(loss, [c, q])
out["contrastive"] = {"inputs": {"c": arr(c), "q": arr(q), "mask": arr(mask.long()), "distractors": arr(idx)},
                      "value": loss.item(), "accuracy": corr / m, "count": m,
                      "grads": {"c": arr(gc), "q": arr(gq)}}

Fr, G, V = m, 2, 3
logits = leaf(Fr, G, V, scale=1.5)
div, perp = diversity(logits)
(gl,) = torch.autograd.grad(div, [logits])
out["diversity"] = {"inputs": {"logits": arr(logits)}, "value": div.item(), "perplexity": perp.item(),
                    "grads": {"logits": arr(gl)}}

feats = leaf(B, 9, 3)
pen = feature_pen(feats)
(gf,) = torch.autograd.grad(pen, [feats])
out["feature_penalty"] = {"inputs": {"features": arr(feats)}, "value": pen.item(), "grads": {"features": arr(gf)}}

loss2, _, m2 = w2v_contrastive(c, q, mask, idx)
div2, _ = diversity(logits)
total = loss2 + 0.1 * div2 * m2 + 10.0 * feature_pen(feats) * m2     # Wav2vecCriterion: coef * p * sample_size
g = torch.autograd.grad(total, [c, q, logits, feats])
out["wav2vec2"] = {"inputs": {"c": arr(c), "q": arr(q), "mask": arr(mask.long()), "distractors": arr(idx),
                              "logits": arr(logits), "features": arr(feats)},
                   "value": total.item(), "count": m2,
                   "grads": {"c": arr(g[0]), "q": arr(g[1]), "logits": arr(g[2]), "features": arr(g[3])}}

# ---- HuBERT ----
B, T, Din, Dp, C = 2, 6, 4, 3, 5
o = leaf(B, T, Din)
W = leaf(Din, Dp)
bias = leaf(Dp, scale=0.3)
E = leaf(C, Dp)
ids = torch.randint(0, C, (B, T))
hmask = torch.tensor([[1, 0, 1, 1, 0, 1], [1, 1, 0, 0, 1, 0]], dtype=torch.bool)
for name, wu in (("hubert", 0.0), ("hubert_unmasked", 0.5)):
    value, lm, lu, acc, count = hubert(o, W, bias, E, ids, hmask, w_u=wu)
    go, gW, gb, gE = torch.autograd.grad(value, [o, W, bias, E])
    out[name] = {"inputs": {"o": arr(o), "W": arr(W), "b": arr(bias), "E": arr(E), "ids": arr(ids),
                            "mask": arr(hmask.long())},
                 "unmasked_weight": wu, "value": value.item(), "masked": lm.item(), "unmasked": lu.item(),
                 "accuracy": acc, "count": count,
                 "grads": {"o": arr(go), "W": arr(gW), "b": arr(gb), "E": arr(gE)}}

# ---- ILS-SSL: 5 layers, supervise layers 2 and 5 ----
layers = [2, 5]
hs = [leaf(B, T, Din) for _ in range(5)]
Ws = [leaf(Din, Dp) for _ in layers]
bs = [leaf(Dp, scale=0.3) for _ in layers]
Es = [leaf(C, Dp) for _ in layers]
total = 0
accs = []
for j, l in enumerate(layers):
    v, _, _, acc, count = hubert(hs[l - 1], Ws[j], bs[j], Es[j], ids, hmask)
    total = total + v
    accs.append(acc)
params = [hs[l - 1] for l in layers] + Ws + bs + Es
grads = torch.autograd.grad(total, params)
L = len(layers)
out["ils_ssl"] = {"layers": layers, "inputs": {"ids": arr(ids), "mask": arr(hmask.long())},
                  "hidden": [arr(h) for h in hs], "W": [arr(x) for x in Ws], "b": [arr(x) for x in bs],
                  "E": [arr(x) for x in Es], "value": total.item(), "accuracy_top": accs[-1], "count": count,
                  "grads": {"hidden": [arr(x) for x in grads[:L]], "W": [arr(x) for x in grads[L:2 * L]],
                            "b": [arr(x) for x in grads[2 * L:3 * L]], "E": [arr(x) for x in grads[3 * L:]]}}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "speech_fixtures.json")
with open(path, "w") as f:
    json.dump(out, f)
print("wrote", path, {k: v["value"] for k, v in out.items()})
