"""One SimCLR training step of the tiny encoder of TrainingStepBenchmark, in PyTorch.

conv 1->16 3x3 s2 p1, ReLU, conv 16->32 3x3 s2 p1, ReLU, global average pool, linear 32->64;
28x28 inputs, 64 per view, both views in one forward (as the Java trainer does), NT-Xent (tau 0.5), Adam.
Run: benchmarks/scripts/torch_env.sh benchmarks/scripts/step_torch.py [--steps N] [--warmup W]
Prints the median line of the JMH side and a RESULT line (min, median, CPU per step, peak RSS) as the
Java StepProfile does.
"""
import argparse

import torch
import torch.nn as nn

import benchutil
from losses_torch import nt_xent


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--warmup", type=int, default=20)
    args = ap.parse_args()
    benchutil.setup()
    net = nn.Sequential(nn.Conv2d(1, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, 32, 3, 2, 1), nn.ReLU(),
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 64))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.randn(128, 1, 28, 28)

    def step():
        opt.zero_grad(set_to_none=False)
        z = net(x)
        loss = nt_xent(z[:64], z[64:], 0.5)
        loss.backward()
        opt.step()

    print(f"simclrStep\ttiny conv 28x28 n=64/view\t{benchutil.time_ms(step, runs=50):.3f}", flush=True)
    benchutil.print_result("tiny-torch", benchutil.step_stats(step, warmup=args.warmup, runs=args.steps))


if __name__ == "__main__":
    main()
