"""Reference trajectories for the optimizers in org.selfsup4j.core.optim.

Run with Debian's PyTorch 1.13:  /usr/bin/python3 make_fixtures.py  (writes optimizer_trajectories.json
beside this script). CI never runs it; the JSON is committed.

Every case has three float64 parameters:
  w [3, 4]  weight decay on   (a weight matrix)
  b [4]     weight decay off  (a bias: excluded from weight decay and LARS adaptation)
  z [2, 3]  weight decay on, initialised to zero (LARS must use trust ratio 1 when ||w|| = 0)
Gradients are those of a fixed quadratic, g = A * p + c (elementwise, fresh A, c per step), so the
trajectory feeds back into the gradients. The learning rate changes every step (lrs[k]) to pin
that the optimizers read the rate at each step (and AdamW's decay uses it).

SGD, Adam and AdamW run through torch.optim with two parameter groups (decay / no decay).
LARS has no torch implementation: it is written out below in numpy from You et al. 2017
("Large Batch Training of Convolutional Networks", Alg. 1), with SimCLR's / BYOL's exclusion of
biases and norm parameters and the learning rate outside the momentum buffer (BYOL, solo-learn);
the trust denominator is the paper's ||g|| + wd ||w|| (SimCLR's and BYOL's code use ||g + wd w||):
  d = g                                   (no-decay parameters)
  d = trust * (g + wd * w),  trust = eta * ||w|| / (||g|| + wd * ||w||) if ||w|| > 0 and ||g|| > 0 else 1
  buf = momentum * buf + d
  w  -= lr * (d + momentum * buf)  if nesterov else  lr * buf
"""
import json
import os

import numpy as np
import torch

STEPS = 5
SHAPES = {"w": (3, 4), "b": (4,), "z": (2, 3)}
DECAY = {"w": True, "b": False, "z": True}
LRS = [0.1, 0.08, 0.12, 0.05, 0.09]


def initial(rng):
    p = {n: rng.standard_normal(s) for n, s in SHAPES.items()}
    p["z"] = np.zeros(SHAPES["z"])
    return p


def grad_coeffs(rng):
    return [{n: (rng.uniform(0.2, 1.5, s), rng.standard_normal(s)) for n, s in SHAPES.items()}
            for _ in range(STEPS)]


def enc(a):
    return {"shape": list(a.shape), "data": [float(x) for x in np.asarray(a).reshape(-1)]}


def run_torch(make_opt, p0, coeffs):
    params = {n: torch.tensor(v, dtype=torch.float64, requires_grad=True) for n, v in p0.items()}
    opt = make_opt(params)
    steps = []
    for k in range(STEPS):
        for g in opt.param_groups:
            g["lr"] = LRS[k]
        grads = {}
        for n, p in params.items():
            a, c = coeffs[k][n]
            g = torch.tensor(a) * p.detach() + torch.tensor(c)
            p.grad = g.clone()
            grads[n] = g.numpy().copy()
        opt.step()
        steps.append({"grad": {n: enc(grads[n]) for n in SHAPES},
                      "after": {n: enc(params[n].detach().numpy()) for n in SHAPES}})
    return steps


def run_lars(p0, coeffs, wd, eta, momentum, nesterov):
    p = {n: v.copy() for n, v in p0.items()}
    buf = {n: np.zeros_like(v) for n, v in p0.items()}
    steps = []
    for k in range(STEPS):
        lr = LRS[k]
        grads = {}
        for n in SHAPES:
            a, c = coeffs[k][n]
            g = a * p[n] + c
            grads[n] = g.copy()
            if DECAY[n]:
                wn = np.linalg.norm(p[n])
                gn = np.linalg.norm(g)
                trust = eta * wn / (gn + wd * wn) if (wn > 0 and gn > 0) else 1.0
                d = trust * (g + wd * p[n])
            else:
                d = g
            buf[n] = momentum * buf[n] + d
            upd = d + momentum * buf[n] if nesterov else buf[n]
            p[n] = p[n] - lr * upd
        steps.append({"grad": {n: enc(grads[n]) for n in SHAPES},
                      "after": {n: enc(p[n]) for n in SHAPES}})
    return steps


def groups(params, wd):
    return [{"params": [params[n] for n in SHAPES if DECAY[n]], "weight_decay": wd},
            {"params": [params[n] for n in SHAPES if not DECAY[n]], "weight_decay": 0.0}]


def main():
    rng = np.random.default_rng(20240611)
    cases = {}

    def add(name, config, steps, p0):
        cases[name] = {"config": config, "lrs": LRS, "decay": DECAY,
                       "initial": {n: enc(p0[n]) for n in SHAPES}, "steps": steps}

    specs = [
        ("sgd_nesterov", {"optimizer": "sgd", "momentum": 0.9, "nesterov": True, "weightDecay": 0.01},
         lambda ps: torch.optim.SGD(groups(ps, 0.01), lr=LRS[0], momentum=0.9, nesterov=True)),
        ("sgd_momentum", {"optimizer": "sgd", "momentum": 0.8, "nesterov": False, "weightDecay": 0.05},
         lambda ps: torch.optim.SGD(groups(ps, 0.05), lr=LRS[0], momentum=0.8)),
        ("sgd_plain", {"optimizer": "sgd", "momentum": 0.0, "nesterov": False, "weightDecay": 0.1},
         lambda ps: torch.optim.SGD(groups(ps, 0.1), lr=LRS[0])),
        ("adam", {"optimizer": "adam", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weightDecay": 0.01},
         lambda ps: torch.optim.Adam(groups(ps, 0.01), lr=LRS[0])),
        ("adam_betas", {"optimizer": "adam", "beta1": 0.8, "beta2": 0.95, "eps": 1e-3, "weightDecay": 0.2},
         lambda ps: torch.optim.Adam(groups(ps, 0.2), lr=LRS[0], betas=(0.8, 0.95), eps=1e-3)),
        ("adamw", {"optimizer": "adamw", "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weightDecay": 0.05},
         lambda ps: torch.optim.AdamW(groups(ps, 0.05), lr=LRS[0])),
        ("adamw_large_decay", {"optimizer": "adamw", "beta1": 0.9, "beta2": 0.98, "eps": 1e-6, "weightDecay": 0.5},
         lambda ps: torch.optim.AdamW(groups(ps, 0.5), lr=LRS[0], betas=(0.9, 0.98), eps=1e-6)),
    ]
    for name, config, make in specs:
        p0 = initial(rng)
        coeffs = grad_coeffs(rng)
        add(name, config, run_torch(make, p0, coeffs), p0)
    for name, wd, eta, mom, nest in [("lars", 1e-3, 0.001, 0.9, False),
                                      ("lars_nesterov_big_eta", 0.1, 0.5, 0.9, True)]:
        p0 = initial(rng)
        coeffs = grad_coeffs(rng)
        add(name, {"optimizer": "lars", "momentum": mom, "nesterov": nest, "weightDecay": wd, "eta": eta},
            run_lars(p0, coeffs, wd, eta, mom, nest), p0)

    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optimizer_trajectories.json")
    with open(out, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)
    print("wrote", out)


if __name__ == "__main__":
    main()
