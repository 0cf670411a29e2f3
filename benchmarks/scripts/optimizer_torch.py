"""One optimizer step over float32 parameters, as OptimizerStepBenchmark, in its two layouts.

Run: benchmarks/scripts/torch_env.sh benchmarks/scripts/optimizer_torch.py [--layout 10x1M|resnet18]
     [--threads N] [--only adam,adamw]
Prints the median and the fastest timed step of each optimizer.

10x1M: ten 1M weights (decayed) + ten 1k biases (not decayed); resnet18: torchvision's resnet18()
parameter list, weights of rank above 1 decayed. PyTorch has no LARS. Adam and AdamW are timed in
1.13's default implementation on CPU (one tensor at a time: foreach=None means False there) and with
foreach=True (the multi-tensor kernels); fused=True is CUDA-only in 1.13.
"""
import argparse
import statistics

import torch

import benchutil


def resnet18_shapes():
    """torchvision's resnet18() parameter shapes in its order (torchvision is not installed here):
    each convolution followed by its batch norm's weight and bias, as OptimizerStepBenchmark.resnet18."""
    shapes = []

    def conv(out, inp, k):
        shapes.extend([(out, inp, k, k), (out,), (out,)])

    conv(64, 3, 7)
    inp = 64
    for stage, c in enumerate([64, 128, 256, 512]):
        for block in range(2):
            conv(c, inp if block == 0 else c, 3)
            conv(c, c, 3)
            if block == 0 and stage > 0:
                conv(c, inp, 1)
        inp = c
    shapes.extend([(1000, 512), (1000,)])
    return shapes


def parameters(layout):
    if layout == "10x1M":
        weights = [torch.randn(1000, 1000) for _ in range(10)]
        biases = [torch.randn(1000) for _ in range(10)]
    else:
        shapes = resnet18_shapes()
        weights = [torch.randn(s) for s in shapes if len(s) > 1]
        biases = [torch.randn(s) for s in shapes if len(s) == 1]
    for p in weights + biases:
        p.requires_grad_(True)
        p.grad = torch.randn_like(p)
    return weights, biases


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--layout", default="10x1M", choices=["10x1M", "resnet18"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default="sgd,adam,adamw,adam-foreach,adamw-foreach")
    args = ap.parse_args()
    benchutil.setup()
    torch.set_num_threads(args.threads)
    weights, biases = parameters(args.layout)
    count = sum(p.numel() for p in weights + biases)
    groups = [{"params": weights}, {"params": biases, "weight_decay": 0.0}]
    makers = {
        "sgd": lambda: torch.optim.SGD(groups, lr=1e-4, momentum=0.9, weight_decay=1e-4),
        "adam": lambda: torch.optim.Adam(groups, lr=1e-4),
        "adamw": lambda: torch.optim.AdamW(groups, lr=1e-4, weight_decay=0.05),
        "adam-foreach": lambda: torch.optim.Adam(groups, lr=1e-4, foreach=True),
        "adamw-foreach": lambda: torch.optim.AdamW(groups, lr=1e-4, weight_decay=0.05, foreach=True),
    }
    for name in args.only.split(","):
        opt = makers[name]()
        with torch.no_grad():
            times = benchutil.times_ms(opt.step)
        print(f"{name}\t{args.layout}\t{count} params\t{args.threads} threads\tmedian\t{statistics.median(times):.3f}"
              f"\tmin\t{min(times):.3f}", flush=True)


if __name__ == "__main__":
    main()
