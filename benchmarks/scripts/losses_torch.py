"""Forward + backward of the loss kernels with PyTorch autograd, float32, the shapes of LossKernelBenchmark.

Run: benchmarks/scripts/torch_env.sh benchmarks/scripts/losses_torch.py
Prints one line per case: name, parameters, minimum milliseconds over the timed calls (on a loaded
machine the minimum is the figure least disturbed by other jobs; JMH's side takes its fastest iteration).
Env TORCH_FILTER: a regex on "name params"; only matching cases run (all when unset or empty).
Env TORCH_STAT=median: print the median of the timed calls instead of the minimum (to set beside JMH's
sample mode, whose p0.50 is a median of single calls too).
"""
import os
import re

import torch
import torch.nn.functional as F

import time

import benchutil


def time_ms(fn, warmup=2, runs=5, min_seconds=2.0):
    """Minimum of at least `runs` timed calls spanning at least `min_seconds`, after `warmup` calls.

    Calls slower than a second (the D = 8192 cases on a loaded machine) get one warm-up and 3 runs.
    """
    t0 = time.perf_counter()
    fn()
    if time.perf_counter() - t0 > 1.0:
        warmup, runs = 1, 3
    for _ in range(warmup - 1):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < runs or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    if os.environ.get("TORCH_STAT") == "median":
        return sorted(times)[len(times) // 2]
    return min(times)


def nt_xent(z1, z2, tau=0.1):
    n = z1.shape[0]
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    sim = z @ z.t() / tau
    sim.fill_diagonal_(float("-inf"))
    targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, targets)


def info_nce(q, k, negatives, tau=0.2, normalize_negatives=True):
    q = F.normalize(q, dim=1)
    k = F.normalize(k, dim=1)
    neg = F.normalize(negatives, dim=1) if normalize_negatives else negatives
    logits = torch.cat([(q * k).sum(1, keepdim=True), q @ neg.t()], dim=1) / tau
    return F.cross_entropy(logits, torch.zeros(q.shape[0], dtype=torch.long))


def byol(p, z):
    return (2 - 2 * F.cosine_similarity(p, z, dim=1)).mean()


def vicreg(x, y, lam=25.0, mu=25.0, nu=1.0, eps=1e-4):
    n, d = x.shape
    inv = F.mse_loss(x, y)
    x = x - x.mean(0)
    y = y - y.mean(0)
    std_x = torch.sqrt(x.var(0) + eps)
    std_y = torch.sqrt(y.var(0) + eps)
    var = (F.relu(1 - std_x).mean() + F.relu(1 - std_y).mean()) / 2
    cx = x.t() @ x / (n - 1)
    cy = y.t() @ y / (n - 1)
    off = lambda c: c.pow(2).sum() - c.diagonal().pow(2).sum()
    cov = (off(cx) + off(cy)) / d
    return lam * inv + mu * var + nu * cov


def barlow(z1, z2, lam=0.0051):
    n = z1.shape[0]
    bn = lambda z: (z - z.mean(0)) / torch.sqrt(z.var(0, unbiased=False) + 1e-5)
    c = bn(z1).t() @ bn(z2) / n
    on = (torch.diagonal(c) - 1).pow(2).sum()
    off = c.pow(2).sum() - torch.diagonal(c).pow(2).sum()
    return on + lam * off


def wav2vec2(c, q, mask, distractors, kappa=0.1):
    # c, q: [B, T, D]; for masked (b, t): logits over [q_t, q_{j_1..j_K}]
    b_idx, t_idx = mask.nonzero(as_tuple=True)
    cm = c[b_idx, t_idx]                                  # [M, D]
    pos = q[b_idx, t_idx].unsqueeze(1)                     # [M, 1, D]
    neg = q[b_idx.unsqueeze(1), distractors[b_idx, t_idx]]  # [M, K, D]
    targets = torch.cat([pos, neg], dim=1)                 # [M, K+1, D]
    logits = F.cosine_similarity(cm.unsqueeze(1), targets, dim=-1) / kappa
    same = (neg == pos).all(-1)
    logits[:, 1:][same] = float("-inf")
    return F.cross_entropy(logits, torch.zeros(logits.shape[0], dtype=torch.long), reduction="sum")


def simsiam(p1, p2, z1, z2):
    # facebookresearch/simsiam: criterion = nn.CosineSimilarity(dim=1), z under stop-gradient
    return -(F.cosine_similarity(p1, z2.detach(), dim=1).mean()
             + F.cosine_similarity(p2, z1.detach(), dim=1).mean()) * 0.5


def moco_v3(q, k, tau=0.2):
    # facebookresearch/moco-v3 contrastive_loss, one device
    q = F.normalize(q, dim=1)
    k = F.normalize(k, dim=1)
    logits = q @ k.t() / tau
    return F.cross_entropy(logits, torch.arange(q.shape[0])) * (2 * tau)


def dino(student, teacher, center, crops=8, tau_s=0.1, tau_t=0.04):
    # facebookresearch/dino DINOLoss.forward (the center update is a no-grad EMA of the teacher)
    s = (student / tau_s).chunk(crops)
    t = F.softmax((teacher - center) / tau_t, dim=-1).detach().chunk(2)
    total, terms = 0, 0
    for iq, q in enumerate(t):
        for v in range(crops):
            if v == iq:
                continue
            total += torch.sum(-q * F.log_softmax(s[v], dim=-1), dim=-1).mean()
            terms += 1
    with torch.no_grad():
        center.mul_(0.9).add_(teacher.mean(0, keepdim=True), alpha=0.1)
    return total / terms


@torch.no_grad()
def sinkhorn(out, eps=0.05, iterations=3):
    # facebookresearch/swav distributed_sinkhorn, one device
    q = torch.exp(out / eps).t()
    b, k = q.shape[1], q.shape[0]
    q /= q.sum()
    for _ in range(iterations):
        q /= q.sum(dim=1, keepdim=True)
        q /= k
        q /= q.sum(dim=0, keepdim=True)
        q /= b
    return (q * b).t()


def swav(scores, bs=256, crops=8, tau=0.1):
    # the loss of facebookresearch/swav main_swav.py train(), crops_for_assign 0 and 1, no queue
    loss = 0
    for crop_id in (0, 1):
        q = sinkhorn(scores[bs * crop_id: bs * (crop_id + 1)].detach())
        sub = 0
        for v in [c for c in range(crops) if c != crop_id]:
            sub -= torch.mean(torch.sum(q * F.log_softmax(scores[bs * v: bs * (v + 1)] / tau, dim=1), dim=1))
        loss += sub / (crops - 1)
    return loss / 2


def mae(pred, target, mask):
    # facebookresearch/mae forward_loss with norm_pix_loss
    mean = target.mean(dim=-1, keepdim=True)
    var = target.var(dim=-1, keepdim=True)
    target = (target - mean) / (var + 1.e-6) ** .5
    loss = ((pred - target) ** 2).mean(dim=-1)
    return (loss * mask).sum() / mask.sum()


def leaf_case(name, params, loss_fn, leaves, constants):
    """Like case(), with some inputs constants (no gradient): the stop-gradient and data arguments."""
    if not wanted(name, params):
        return

    def step():
        for x in leaves:
            x.grad = None
        loss_fn(*leaves, *constants).backward()

    print(f"{name}\t{params}\t{time_ms(step):.3f}", flush=True)


def wanted(name, params):
    pattern = os.environ.get("TORCH_FILTER", "")
    return not pattern or re.search(pattern, f"{name} {params}") is not None


def case(name, params, loss_fn, *shapes):
    if not wanted(name, params):
        return
    inputs = [torch.randn(*s, requires_grad=True) for s in shapes]

    def step():
        for x in inputs:
            x.grad = None
        loss_fn(*inputs).backward()

    print(f"{name}\t{params}\t{time_ms(step):.3f}", flush=True)


def main():
    benchutil.setup()
    for n in (256, 1024, 4096):
        for d in (128, 256):
            case("ntXent", f"n={n} d={d}", nt_xent, (n, d), (n, d))
    q = torch.randn(256, 128, requires_grad=True)
    k = torch.randn(256, 128)
    negatives = torch.randn(65536, 128)

    def moco_step():
        q.grad = None
        info_nce(q, k, negatives).backward()

    if wanted("infoNce", "n=256 k=65536 d=128"):
        print(f"infoNce\tn=256 k=65536 d=128\t{time_ms(moco_step):.3f}", flush=True)
    unit_negatives = F.normalize(negatives, dim=1)

    def moco_queue_step():
        # MoCo's own code: the queue holds normalized keys and is used as it is.
        q.grad = None
        info_nce(q, k, unit_negatives, normalize_negatives=False).backward()

    if wanted("infoNceQueue", "n=256 k=65536 d=128"):
        print(f"infoNceQueue\tn=256 k=65536 d=128\t{time_ms(moco_queue_step):.3f}", flush=True)
    for n in (256, 4096):
        case("byol", f"n={n} d=256", byol, (n, 256), (n, 256))
    for n in (256, 1024):
        for d in (2048, 8192):
            case("vicReg", f"n={n} d={d}", vicreg, (n, d), (n, d))
    case("barlowTwins", "n=1024 d=8192", barlow, (1024, 8192), (1024, 8192))

    g = torch.Generator().manual_seed(4)
    mask = torch.rand(8, 250, generator=g) < 0.5
    distractors = torch.zeros(8, 250, 100, dtype=torch.long)
    for b in range(8):
        idx = mask[b].nonzero().squeeze(1)
        for t in idx.tolist():
            others = idx[idx != t]
            distractors[b, t] = others[torch.randint(len(others), (100,), generator=g)]
    c = torch.randn(8, 250, 256, requires_grad=True)
    qq = torch.randn(8, 250, 256, requires_grad=True)

    def w2v_step():
        c.grad = None
        qq.grad = None
        wav2vec2(c, qq, mask, distractors).backward()

    if wanted("wav2vec2Contrastive", "b=8 t=250 d=256 k=100"):
        print(f"wav2vec2Contrastive\tb=8 t=250 d=256 k=100\t{time_ms(w2v_step):.3f}", flush=True)

    def grad(*shape):
        return torch.randn(*shape, requires_grad=True)

    leaf_case("simSiam", "n=256 d=2048", simsiam, [grad(256, 2048), grad(256, 2048)],
              [torch.randn(256, 2048), torch.randn(256, 2048)])
    leaf_case("mocoV3", "n=256 d=256", moco_v3, [grad(256, 256)], [torch.randn(256, 256)])
    leaf_case("dino", "b=256 k=4096 crops=2+6", dino, [grad(8 * 256, 4096)],
              [torch.randn(2 * 256, 4096), torch.zeros(1, 4096)])
    z = F.normalize(torch.randn(8 * 256, 128), dim=1)
    protos = F.normalize(torch.randn(3000, 128), dim=1)
    leaf_case("swav", "b=256 k=3000 crops=2+6", swav, [(z @ protos.t()).requires_grad_(True)], [])
    mask = (torch.rand(256, 49) < 0.75).float()
    leaf_case("mae", "n=256 l=49 p=48", mae, [grad(256, 49, 48)], [torch.randn(256, 49, 48), mask])


if __name__ == "__main__":
    main()
