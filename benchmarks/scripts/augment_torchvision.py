#!/usr/bin/env python3
"""torchvision 0.14 side of AugmentThroughputBenchmark: images/s of the same recipes on the same images.

PIL path (what SimCLR/BYOL code bases run): PIL images decoded once up front, the recipe's transforms
then ToTensor, two views per image, DataLoader(batch_size=256, num_workers=2, shuffle, drop_last),
default collate. Score: source images per second over timed epochs after one warm-up epoch.

Run (Debian's python3-torchvision):
    MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=17179869184 /usr/bin/python3 benchmarks/scripts/augment_torchvision.py \
        --root /work/shared/datasets/cifar10-subset/train
"""
import argparse
import os
import time

import torch
import torchvision
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms as T

N_IMAGES = 2048
BATCH = 256


def load_images(root, n):
    files = []
    for c in sorted(os.listdir(root)):
        d = os.path.join(root, c)
        if os.path.isdir(d):
            files += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith((".jpg", ".png"))]
    imgs = []
    for f in files[:n]:
        with Image.open(f) as im:
            imgs.append(im.convert("RGB"))
    assert len(imgs) == n, len(imgs)
    return imgs


def recipe(name):
    if name == "simclr-cifar32":
        return T.Compose([
            T.RandomResizedCrop(32),
            T.RandomHorizontalFlip(),
            T.RandomApply([T.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8),
            T.RandomGrayscale(p=0.2),
            T.ToTensor(),
        ])
    if name == "imagenet96":
        return T.Compose([
            T.RandomResizedCrop(96),
            T.RandomHorizontalFlip(),
            T.RandomApply([T.ColorJitter(0.8, 0.8, 0.8, 0.2)], p=0.8),
            T.RandomGrayscale(p=0.2),
            T.RandomApply([T.GaussianBlur(9, sigma=(0.1, 2.0))], p=0.5),
            T.ToTensor(),
        ])
    raise ValueError(name)


class TwoViews(Dataset):
    def __init__(self, imgs, transform):
        self.imgs = imgs
        self.t = transform

    def __len__(self):
        return len(self.imgs)

    def __getitem__(self, i):
        img = self.imgs[i]
        return self.t(img), self.t(img)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default="/work/shared/datasets/cifar10-subset/train")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(2)
    imgs = load_images(args.root, N_IMAGES)
    print(f"torch {torch.__version__} torchvision {torchvision.__version__}, {N_IMAGES} images, "
          f"batch {BATCH}, {args.workers} DataLoader workers")
    for name in ["simclr-cifar32", "imagenet96"]:
        loader = DataLoader(TwoViews(imgs, recipe(name)), batch_size=BATCH, shuffle=True, drop_last=True,
                            num_workers=args.workers, persistent_workers=args.workers > 0)
        for _ in loader:  # warm-up epoch (starts the workers)
            pass
        rates = []
        for _ in range(args.epochs):
            t0 = time.perf_counter()
            n = 0
            for v1, v2 in loader:
                n += v1.shape[0]
            rates.append(n / (time.perf_counter() - t0))
        rates.sort()
        print(f"{name}: median {rates[len(rates) // 2]:.0f} images/s (min {rates[0]:.0f}, max {rates[-1]:.0f}) "
              f"over {args.epochs} epochs")
        del loader


if __name__ == "__main__":
    main()
