#!/usr/bin/env python3
"""Golden values and gradients for the selfsup4j loss kernels, from PyTorch autograd in float64.

Run from this directory (CI never runs it; the JSON files it writes are committed):
    python3 make_fixtures.py
Each reference below is written the way the authors' or lightly's code writes it, independently
of the Java kernels. Output: one JSON file per loss, {"cases": [{"name", "params", "inputs":
[{"name", "shape", "data"}], "value", "gradients": [{"name", "shape", "data"}]}]}, data row-major.
"""
import json

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


# --- references -----------------------------------------------------------------------------------

def ntxent_lightly(z0, z1, temperature):
    """lightly.loss.NTXentLoss without a memory bank (single device)."""
    out0 = F.normalize(z0, dim=1)
    out1 = F.normalize(z1, dim=1)
    batch = out0.shape[0]
    logits_00 = out0 @ out0.T / temperature
    logits_01 = out0 @ out1.T / temperature
    logits_10 = out1 @ out0.T / temperature
    logits_11 = out1 @ out1.T / temperature
    diag_mask = torch.eye(batch, dtype=torch.bool)
    logits_00 = logits_00[~diag_mask].view(batch, -1)
    logits_11 = logits_11[~diag_mask].view(batch, -1)
    logits_0100 = torch.cat([logits_01, logits_00], dim=1)
    logits_1011 = torch.cat([logits_10, logits_11], dim=1)
    logits = torch.cat([logits_0100, logits_1011], dim=0)
    labels = torch.arange(batch).repeat(2)
    return F.cross_entropy(logits, labels)


def infonce_moco(q, k, queue, temperature):
    """MoCo v2's contrastive_loss (moco/builder.py), with q, k and the queue normalized here."""
    q = F.normalize(q, dim=1)
    k = F.normalize(k, dim=1)
    queue = F.normalize(queue, dim=1)
    l_pos = torch.einsum("nc,nc->n", [q, k]).unsqueeze(-1)
    l_neg = torch.einsum("nc,ck->nk", [q, queue.T])
    logits = torch.cat([l_pos, l_neg], dim=1) / temperature
    labels = torch.zeros(logits.shape[0], dtype=torch.long)
    return F.cross_entropy(logits, labels)


def byol(p, z):
    """BYOL's regression loss (deepmind byol: 2 - 2 cos), averaged over the batch."""
    p = F.normalize(p, dim=-1, p=2)
    z = F.normalize(z, dim=-1, p=2)
    return (2 - 2 * (p * z).sum(dim=-1)).mean()


def off_diagonal(x):
    n, m = x.shape
    assert n == m
    return x.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()


def vicreg_official(x, y, sim_coeff, std_coeff, cov_coeff, eps):
    """facebookresearch/vicreg main_vicreg.py VICReg.forward (single device, no projector)."""
    batch_size, num_features = x.shape
    repr_loss = F.mse_loss(x, y)
    x = x - x.mean(dim=0)
    y = y - y.mean(dim=0)
    std_x = torch.sqrt(x.var(dim=0) + eps)
    std_y = torch.sqrt(y.var(dim=0) + eps)
    std_loss = torch.mean(F.relu(1 - std_x)) / 2 + torch.mean(F.relu(1 - std_y)) / 2
    cov_x = (x.T @ x) / (batch_size - 1)
    cov_y = (y.T @ y) / (batch_size - 1)
    cov_loss = off_diagonal(cov_x).pow_(2).sum().div(num_features) + \
        off_diagonal(cov_y).pow_(2).sum().div(num_features)
    loss = sim_coeff * repr_loss + std_coeff * std_loss + cov_coeff * cov_loss
    return loss, repr_loss, std_loss, cov_loss


def barlow_official(z1, z2, lambd):
    """facebookresearch/barlowtwins main.py BarlowTwins.forward (single device, no projector)."""
    batch_size, d = z1.shape
    bn = torch.nn.BatchNorm1d(d, affine=False).double().train()
    c = bn(z1).T @ bn(z2)
    c.div_(batch_size)
    on_diag = torch.diagonal(c).add_(-1).pow_(2).sum()
    off_diag = off_diagonal(c).pow_(2).sum()
    return on_diag + lambd * off_diag


# --- fixtures ---------------------------------------------------------------------------------------

def tensor_json(name, t):
    return {"name": name, "shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def case(name, params, fn, **inputs):
    leaves = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    out = fn(*leaves.values())
    value = out[0] if isinstance(out, tuple) else out
    terms = {}
    if isinstance(out, tuple):
        terms = {k: float(v) for k, v in zip(("invariance", "variance", "covariance"), out[1:])}
    grads = torch.autograd.grad(value, list(leaves.values()))
    return {
        "name": name,
        "params": params,
        "inputs": [tensor_json(k, v) for k, v in inputs.items()],
        "value": float(value),
        "terms": terms,
        "gradients": [tensor_json(k, g) for k, g in zip(leaves.keys(), grads)],
    }


def write(path, cases):
    with open(path, "w") as f:
        json.dump({"generator": "make_fixtures.py", "torch": torch.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


def main():
    g = torch.Generator().manual_seed(20240601)

    def randn(*shape, scale=1.0):
        return torch.randn(*shape, generator=g) * scale

    cases = []
    for (n, d, t) in [(2, 2, 0.5), (4, 3, 0.1), (5, 8, 0.5), (3, 4, 0.07)]:
        z1, z2 = randn(n, d), randn(n, d)
        cases.append(case(f"n{n}_d{d}_t{t}", {"temperature": t},
                          lambda a, b, t=t: ntxent_lightly(a, b, t), z1=z1, z2=z2))
    write("ntxent.json", cases)

    cases = []
    for (n, k, d, t) in [(2, 3, 2, 0.2), (4, 6, 5, 0.2), (3, 7, 4, 0.07), (5, 2, 3, 1.0)]:
        q, kk, neg = randn(n, d), randn(n, d), randn(k, d)
        cases.append(case(f"n{n}_k{k}_d{d}_t{t}", {"temperature": t},
                          lambda a, b, c, t=t: infonce_moco(a, b, c, t), q=q, k=kk, negatives=neg))
    write("infonce.json", cases)

    cases = []
    for (n, d) in [(2, 2), (4, 5), (6, 3)]:
        p, z = randn(n, d), randn(n, d)
        cases.append(case(f"n{n}_d{d}", {}, byol, p=p, z=z))
    write("byol.json", cases)

    cases = []
    # Column scales straddle 1 so that some stds are below 1 (hinge active) and some above.
    for (n, d, lam, mu, nu, eps) in [(3, 2, 25.0, 25.0, 1.0, 1e-4), (6, 5, 25.0, 25.0, 1.0, 1e-4),
                                     (8, 4, 2.0, 3.0, 5.0, 1e-3), (4, 9, 25.0, 25.0, 1.0, 1e-4),
                                     (3, 6, 2.0, 3.0, 5.0, 1e-3)]:
        scale = torch.linspace(0.2, 2.5, d)
        z1 = randn(n, d) * scale
        z2 = z1 + 0.3 * randn(n, d)
        cases.append(case(f"n{n}_d{d}", {"lambda": lam, "mu": mu, "nu": nu, "eps": eps},
                          lambda a, b, lam=lam, mu=mu, nu=nu, eps=eps: vicreg_official(a, b, lam, mu, nu, eps),
                          z1=z1, z2=z2))
    write("vicreg.json", cases)

    cases = []
    for (n, d, lam) in [(3, 2, 0.0051), (6, 4, 0.0051), (5, 7, 0.5), (4, 10, 0.0051), (2, 3, 0.3)]:
        z1 = randn(n, d, scale=2.0) + 1.0
        z2 = z1 + 0.5 * randn(n, d)
        cases.append(case(f"n{n}_d{d}_l{lam}", {"lambda": lam},
                          lambda a, b, lam=lam: barlow_official(a, b, lam), z1=z1, z2=z2))
    write("barlowtwins.json", cases)


if __name__ == "__main__":
    main()
