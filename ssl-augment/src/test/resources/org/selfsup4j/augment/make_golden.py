#!/usr/bin/env python3
"""Golden outputs of torchvision 0.14's functional image ops for ssl-augment's tests.

Reference path: torchvision.transforms.functional on a float32 CHW tensor in [0, 1] (the tensor
path: resize with antialias=False, bilinear, align_corners=False), NOT the PIL path.

Run from this folder with Debian's python3-torchvision (0.14):
    /usr/bin/python3 make_golden.py
Writes input.f32 (the 3x13x17 test image), golden.f32 (every expected output, concatenated,
float32 little-endian) and golden.json (one entry per case: op, parameters, offset, shape).
Java tests compare within 1e-5 absolute.
"""
import json

import numpy as np
import torch
import torchvision
import torchvision.transforms.functional as F

assert torchvision.__version__.startswith("0.14"), torchvision.__version__

C, H, W = 3, 13, 17
rng = np.random.default_rng(20240607)
yy, xx = np.meshgrid(np.linspace(0, 1, H), np.linspace(0, 1, W), indexing="ij")
img = np.stack([0.5 * xx, 0.5 * yy, 0.25 * (xx + yy)]) + 0.5 * rng.random((C, H, W))
img = np.clip(img, 0, 1).astype(np.float32)
# Edge cases for the HSV round trip: grey pixels, ties between channels, pure black and white.
img[:, 0, 0] = [0.3, 0.3, 0.3]
img[:, 0, 1] = [0.0, 0.0, 0.0]
img[:, 0, 2] = [1.0, 1.0, 1.0]
img[:, 1, 0] = [0.8, 0.8, 0.2]
img[:, 1, 1] = [0.2, 0.8, 0.8]
img[:, 1, 2] = [0.8, 0.2, 0.8]
img[:, 2, 0] = [1.0, 0.0, 0.0]
t = torch.from_numpy(img.copy())

cases = []
blobs = []
offset = 0


def add(name, op, params, out):
    global offset
    out = out.contiguous().numpy().astype("<f4")
    cases.append({"name": name, "op": op, "params": params, "offset": offset, "shape": list(out.shape)})
    blobs.append(out.tobytes())
    offset += out.size


for (i, j, h, w, oh, ow) in [(0, 0, 13, 17, 32, 32), (2, 3, 8, 9, 5, 4), (1, 2, 11, 7, 13, 17),
                             (0, 0, 13, 17, 7, 9), (4, 5, 3, 3, 10, 6)]:
    out = F.resized_crop(t, i, j, h, w, [oh, ow], interpolation=F.InterpolationMode.BILINEAR, antialias=False)
    add(f"resized_crop_{i}_{j}_{h}_{w}_to_{oh}x{ow}", "resized_crop",
        {"top": i, "left": j, "height": h, "width": w, "out_h": oh, "out_w": ow}, out)
add("hflip", "hflip", {}, F.hflip(t))
for f in [0.6, 1.4]:
    add(f"brightness_{f}", "brightness", {"factor": f}, F.adjust_brightness(t, f))
for f in [0.6, 1.4]:
    add(f"contrast_{f}", "contrast", {"factor": f}, F.adjust_contrast(t, f))
for f in [0.0, 0.6, 1.4]:
    add(f"saturation_{f}", "saturation", {"factor": f}, F.adjust_saturation(t, f))
for f in [-0.5, -0.1, 0.05, 0.5]:
    add(f"hue_{f}", "hue", {"factor": f}, F.adjust_hue(t, f))
add("grayscale3", "grayscale", {"out_channels": 3}, F.rgb_to_grayscale(t, num_output_channels=3))
for (k, s) in [(3, 0.7), (5, 1.9), (9, 1.3), (3, 0.1)]:
    add(f"blur_{k}_{s}", "blur", {"kernel": k, "sigma": s}, F.gaussian_blur(t, [k, k], [s, s]))
add("solarize_0.5", "solarize", {"threshold": 0.5}, F.solarize(t, 0.5))
mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
add("normalize_imagenet", "normalize", {"mean": mean, "std": std}, F.normalize(t, mean, std))

# ColorJitter with its draws fixed: the order and factors that ColorJitter.get_params would return.
for (order, b, c, s, h) in [([3, 0, 2, 1], 1.2, 0.7, 1.3, 0.08), ([0, 1, 2, 3], 0.65, 1.35, 0.6, -0.1)]:
    x = t
    for fn in order:
        if fn == 0:
            x = F.adjust_brightness(x, b)
        elif fn == 1:
            x = F.adjust_contrast(x, c)
        elif fn == 2:
            x = F.adjust_saturation(x, s)
        else:
            x = F.adjust_hue(x, h)
    add(f"jitter_{''.join(map(str, order))}", "jitter",
        {"order": order, "brightness": b, "contrast": c, "saturation": s, "hue": h}, x)

# A whole SimCLR-ImageNet-style view with every draw fixed: crop box, flip, jitter, grayscale, blur, solarize.
x = F.resized_crop(t, 1, 2, 10, 12, [16, 16], interpolation=F.InterpolationMode.BILINEAR, antialias=False)
x = F.hflip(x)
for fn, v in [(2, 1.3), (1, 0.8), (3, -0.05), (0, 1.1)]:
    x = [F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue][fn](x, v)
x = F.gaussian_blur(x, [3, 3], [0.9, 0.9])
x = F.solarize(x, 0.5)
add("pipeline_fixed", "pipeline", {}, x)

with open("input.f32", "wb") as f:
    f.write(img.astype("<f4").tobytes())
with open("golden.f32", "wb") as f:
    for b in blobs:
        f.write(b)
with open("golden.json", "w") as f:
    json.dump({"torchvision": torchvision.__version__, "input": {"file": "input.f32", "shape": [C, H, W]},
               "tolerance": 1e-5, "cases": cases}, f, indent=1)
print(len(cases), "cases,", offset, "floats")
