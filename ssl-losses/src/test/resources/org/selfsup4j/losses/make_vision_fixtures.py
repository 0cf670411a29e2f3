#!/usr/bin/env python3
"""Golden values and gradients for the vision loss kernels of issue #18 (SimSiam, MoCo v3, DINO, SwAV,
MAE), from PyTorch autograd in float64.

Run from this directory (CI never runs it; the JSON files it writes are committed):
    python3 make_vision_fixtures.py
Each reference below is transcribed from the authors' code (named in each docstring), independently
of the Java kernels. Same JSON layout as make_fixtures.py; "gradients" lists the gradients of the
arguments that get one (stop-gradient arguments have none), followed, where a loss has outputs
besides its gradient, by those outputs: DINO's center after the update, SwAV's codes.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from make_fixtures import tensor_json, write

torch.set_default_dtype(torch.float64)


# --- references -----------------------------------------------------------------------------------

def simsiam(p1, p2, z1, z2):
    """facebookresearch/simsiam main_simsiam.py train(): criterion = nn.CosineSimilarity(dim=1)."""
    criterion = nn.CosineSimilarity(dim=1)
    z1, z2 = z1.detach(), z2.detach()
    return -(criterion(p1, z2).mean() + criterion(p2, z1).mean()) * 0.5


def mocov3_ctr(q, k, T):
    """facebookresearch/moco-v3 moco/builder.py MoCo.contrastive_loss (one device: rank 0, no gather)."""
    q = F.normalize(q, dim=1)
    k = F.normalize(k, dim=1)
    logits = torch.einsum("nc,mc->nm", [q, k]) / T
    N = logits.shape[0]
    labels = torch.arange(N, dtype=torch.long)
    return nn.CrossEntropyLoss()(logits, labels) * (2 * T)


class DINOLoss(nn.Module):
    """facebookresearch/dino main_dino.py DINOLoss, the temperature passed in instead of an epoch."""

    def __init__(self, out_dim, ncrops, student_temp, center_momentum, center):
        super().__init__()
        self.student_temp = student_temp
        self.center_momentum = center_momentum
        self.ncrops = ncrops
        self.register_buffer("center", center.clone())

    def forward(self, student_output, teacher_output, temp):
        student_out = student_output / self.student_temp
        student_out = student_out.chunk(self.ncrops)
        teacher_out = F.softmax((teacher_output - self.center) / temp, dim=-1)
        teacher_out = teacher_out.detach().chunk(2)
        total_loss = 0
        n_loss_terms = 0
        for iq, q in enumerate(teacher_out):
            for v in range(len(student_out)):
                if v == iq:
                    continue
                loss = torch.sum(-q * F.log_softmax(student_out[v], dim=-1), dim=-1)
                total_loss += loss.mean()
                n_loss_terms += 1
        total_loss /= n_loss_terms
        self.update_center(teacher_output)
        return total_loss

    @torch.no_grad()
    def update_center(self, teacher_output):
        batch_center = torch.sum(teacher_output, dim=0, keepdim=True)
        batch_center = batch_center / len(teacher_output)
        self.center = self.center * self.center_momentum + batch_center * (1 - self.center_momentum)


@torch.no_grad()
def distributed_sinkhorn(out, epsilon, sinkhorn_iterations):
    """facebookresearch/swav main_swav.py distributed_sinkhorn, world_size 1 (no all_reduce)."""
    Q = torch.exp(out / epsilon).t()  # Q is K-by-B for consistency with notations from our paper
    B = Q.shape[1]  # number of samples to assign
    K = Q.shape[0]  # how many prototypes
    sum_Q = torch.sum(Q)
    Q /= sum_Q
    for it in range(sinkhorn_iterations):
        sum_of_rows = torch.sum(Q, dim=1, keepdim=True)
        Q /= sum_of_rows
        Q /= K
        Q /= torch.sum(Q, dim=0, keepdim=True)
        Q /= B
    Q *= B  # the colomns must sum to 1 so that Q is an assignment
    return Q.t()


def swav(output, queue_scores, bs, nmb_crops, temperature, epsilon, iterations):
    """The loss of main_swav.py train(), crops_for_assign = [0, 1]; queue_scores: [2 L, K] or None."""
    codes = []
    loss = 0
    for i, crop_id in enumerate([0, 1]):
        with torch.no_grad():
            out = output[bs * crop_id: bs * (crop_id + 1)].detach()
            if queue_scores is not None:
                length = queue_scores.shape[0] // 2
                out = torch.cat((queue_scores[i * length:(i + 1) * length], out))
            q = distributed_sinkhorn(out, epsilon, iterations)[-bs:]
            codes.append(q)
        subloss = 0
        for v in [c for c in range(nmb_crops) if c != crop_id]:
            x = output[bs * v: bs * (v + 1)] / temperature
            subloss -= torch.mean(torch.sum(q * F.log_softmax(x, dim=1), dim=1))
        loss += subloss / (nmb_crops - 1)
    loss /= 2
    return loss, torch.cat(codes)


def mae(pred, target, mask, norm_pix_loss):
    """facebookresearch/mae models_mae.py MaskedAutoencoderViT.forward_loss, target already patchified."""
    if norm_pix_loss:
        mean = target.mean(dim=-1, keepdim=True)
        var = target.var(dim=-1, keepdim=True)
        target = (target - mean) / (var + 1.e-6) ** .5
    loss = (pred - target) ** 2
    loss = loss.mean(dim=-1)  # [N, L], mean loss per patch
    loss = (loss * mask).sum() / mask.sum()  # mean loss on removed patches
    return loss


# --- fixtures ---------------------------------------------------------------------------------------

def case(name, params, inputs, value, grads, extra=()):
    """inputs: name -> tensor; grads: name -> gradient; extra: (name, tensor) outputs after the gradients."""
    return {
        "name": name,
        "params": params,
        "inputs": [tensor_json(k, v) for k, v in inputs.items()],
        "value": float(value),
        "terms": {},
        "gradients": [tensor_json(k, g) for k, g in grads.items()] + [tensor_json(k, t) for k, t in extra],
    }


def leaf(t):
    return t.clone().requires_grad_(True)


def main():
    g = torch.Generator().manual_seed(20261203)

    def randn(*shape, scale=1.0):
        return torch.randn(*shape, generator=g) * scale

    cases = []
    for (n, d) in [(2, 3), (4, 5), (7, 16)]:
        x = {k: randn(n, d) for k in ("p1", "p2", "z1", "z2")}
        p1, p2 = leaf(x["p1"]), leaf(x["p2"])
        value = simsiam(p1, p2, x["z1"], x["z2"])
        gp1, gp2 = torch.autograd.grad(value, [p1, p2])
        cases.append(case(f"n{n}_d{d}", {}, x, value, {"p1": gp1, "p2": gp2}))
    write("simsiam.json", cases)

    cases = []
    for (n, d, t) in [(2, 3, 0.2), (5, 4, 0.2), (6, 8, 1.0), (4, 6, 0.02)]:
        x = {"q": randn(n, d), "k": randn(n, d)}
        q, k = leaf(x["q"]), leaf(x["k"])
        value = mocov3_ctr(q, k, t)
        gq, gk = torch.autograd.grad(value, [q, k])
        cases.append(case(f"n{n}_d{d}_t{t}", {"temperature": t}, x, value, {"q": gq, "k": gk}))
    write("mocov3.json", cases)

    cases = []
    # (B, K, V crops, tau_t, tau_s, m); logits of scale 3 so that tau_t = 0.04 makes sharp targets
    for (b, k, v, tt, ts, m) in [(2, 5, 2, 0.04, 0.1, 0.9), (3, 7, 4, 0.07, 0.1, 0.9),
                                 (4, 6, 5, 0.055, 0.2, 0.5), (2, 9, 3, 0.04, 0.1, 0.0)]:
        x = {"student": randn(v * b, k, scale=3.0), "teacher": randn(2 * b, k, scale=3.0),
             "center": randn(1, k, scale=0.5)}
        loss = DINOLoss(k, v, ts, m, x["center"])
        s = leaf(x["student"])
        value = loss(s, x["teacher"], tt)
        (gs,) = torch.autograd.grad(value, [s])
        cases.append(case(f"b{b}_k{k}_v{v}_tt{tt}", {"crops": v, "teacher_temp": tt, "student_temp": ts,
                                                     "center_momentum": m},
                          x, value, {"student": gs}, extra=[("center_after", loss.center)]))
    write("dino.json", cases)

    cases = []
    # (B, K, V, D, queue length L, tau, eps, iterations)
    for (b, k, v, d, length, tau, eps, its) in [(3, 4, 2, 5, 0, 0.1, 0.05, 3), (4, 6, 4, 3, 0, 0.1, 0.05, 3),
                                                 (2, 5, 3, 4, 6, 0.1, 0.05, 3), (5, 3, 3, 6, 0, 0.2, 0.1, 1)]:
        protos = F.normalize(randn(k, d), dim=1)
        z = F.normalize(randn(v * b, d), dim=1)
        x = {"scores": z @ protos.t()}
        queue = None
        if length:
            queue = F.normalize(randn(2 * length, d), dim=1) @ protos.t()
            x["queueScores"] = queue
        sc = leaf(x["scores"])
        value, codes = swav(sc, queue, b, v, tau, eps, its)
        (gsc,) = torch.autograd.grad(value, [sc])
        cases.append(case(f"b{b}_k{k}_v{v}_l{length}_it{its}", {"crops": v, "temperature": tau, "epsilon": eps,
                                                                "iterations": its},
                          x, value, {"scores": gsc}, extra=[("codes", codes)]))
    write("swav.json", cases)

    cases = []
    for (n, l, p, norm) in [(2, 4, 3, True), (3, 5, 6, True), (2, 6, 4, False)]:
        mask = torch.zeros(n, l)
        for i in range(n):
            mask[i, torch.randperm(l, generator=g)[: int(round(0.75 * l))]] = 1.0
        x = {"pred": randn(n, l, p), "target": randn(n, l, p, scale=2.0) + 0.5, "mask": mask}
        pr = leaf(x["pred"])
        value = mae(pr, x["target"], mask, norm)
        (gp,) = torch.autograd.grad(value, [pr])
        cases.append(case(f"n{n}_l{l}_p{p}_norm{int(norm)}", {"norm_pix_loss": float(norm)}, x, value, {"pred": gp}))
    write("mae.json", cases)


if __name__ == "__main__":
    main()
