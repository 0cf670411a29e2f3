"""One optimizer step over 10M float32 parameters (ten 1M weights + ten 1k biases), as OptimizerStepBenchmark.

Run: benchmarks/scripts/torch_env.sh benchmarks/scripts/optimizer_torch.py
PyTorch has no LARS; SGD, Adam and AdamW use the default (foreach) implementations of 1.13.
"""
import torch

import benchutil


def main():
    benchutil.setup()
    weights = [torch.randn(1000, 1000, requires_grad=True) for _ in range(10)]
    biases = [torch.randn(1000, requires_grad=True) for _ in range(10)]
    for p in weights + biases:
        p.grad = torch.randn_like(p)
    groups = [{"params": weights}, {"params": biases, "weight_decay": 0.0}]
    optimizers = {
        "sgd": torch.optim.SGD(groups, lr=1e-4, momentum=0.9, weight_decay=1e-4),
        "adam": torch.optim.Adam(groups, lr=1e-4),
        "adamw": torch.optim.AdamW(groups, lr=1e-4, weight_decay=0.05),
    }
    for name, opt in optimizers.items():
        with torch.no_grad():
            print(f"{name}\t10M params\t{benchutil.time_ms(opt.step):.3f}", flush=True)


if __name__ == "__main__":
    main()
