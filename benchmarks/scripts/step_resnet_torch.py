"""One SimCLR training step of the half-width ResNet-18 of BenchmarkModels.resnet18Half, in PyTorch.

CIFAR ResNet-18 at half width: conv3x3(3, 32, no bias) - BN - ReLU (no max-pool), four stages of two
BasicBlocks with 32-64-128-256 channels (first-block strides 1, 2, 2, 2; 1x1 conv + BN shortcut where
the shape changes), global average pool, SimCLR head Linear(256, 512, no bias) - BN - ReLU -
Linear(512, 128). 32x32x3 inputs, 256 per view, both views in one forward (as the Java trainer),
NT-Xent (tau 0.5), Adam lr 1e-3, float32, 2 threads.

Run: benchmarks/scripts/torch_env.sh benchmarks/scripts/step_resnet_torch.py [--steps N] [--warmup W]
Prints a RESULT line as the Java StepProfile does (min, median, CPU per step, peak RSS).
"""
import argparse

import torch
import torch.nn as nn

import benchutil
from losses_torch import nt_xent


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, 0, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + (x if self.downsample is None else self.downsample(x)))


def resnet18_half():
    widths = [32, 64, 128, 256]
    layers = [nn.Conv2d(3, 32, 3, 1, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=True)]
    cin = 32
    for s, w in enumerate(widths):
        stride = 1 if s == 0 else 2
        layers.append(nn.Sequential(BasicBlock(cin, w, stride), BasicBlock(w, w, 1)))
        cin = w
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(),
               nn.Linear(256, 512, bias=False), nn.BatchNorm1d(512), nn.ReLU(inplace=True), nn.Linear(512, 128)]
    return nn.Sequential(*layers)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--batch", type=int, default=256)
    args = ap.parse_args()
    benchutil.setup()
    net = resnet18_half()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    n = args.batch
    x = torch.randn(2 * n, 3, 32, 32)

    def step():
        opt.zero_grad(set_to_none=False)
        z = net(x)
        loss = nt_xent(z[:n], z[n:], 0.5)
        loss.backward()
        opt.step()

    benchutil.print_result("resnet-torch", benchutil.step_stats(step, warmup=args.warmup, runs=args.steps))


if __name__ == "__main__":
    main()
