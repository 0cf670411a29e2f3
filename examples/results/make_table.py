#!/usr/bin/env python3
"""Prints the ssl-vision README's results table from the committed results JSON files (no other numbers)."""
import json
import pathlib
import sys

here = pathlib.Path(__file__).parent
rows = []
for f in sorted(here.glob("*.json")):
    r = json.loads(f.read_text())
    rows.append((r["dataset"], r["method"], r, f))
print("| dataset (train / eval) | method | backbone | train time | epochs (steps x batch) | kNN top-1 | linear top-1 "
      "| random init kNN | random init linear | kNN gain | file |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for ds, m, r, f in rows:
    gain = (r["knn_top1"] - r["random_init_knn_top1"]) * 100
    print(f"| {ds} / {r['eval_dataset']} | {m} | {r['backbone']} | {r['train_seconds'] / 60:.1f} min | {r['epochs']:.2f} "
          f"({r['steps']} x {r['batch_size']}) | {r['knn_top1'] * 100:.1f}% | {r['linear_top1'] * 100:.1f}% "
          f"| {r['random_init_knn_top1'] * 100:.1f}% | {r['random_init_linear_top1'] * 100:.1f}% "
          f"| {gain:+.1f} pts | `{f.name}` |")
