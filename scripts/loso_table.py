#!/usr/bin/env python3
"""Per-fold and mean table (markdown) of a leave-one-speaker-out study (scripts/fsdd-loso.sh).

Reads <results>/<speaker>/<run>/results.json and prints one row per held-out speaker and a mean
(and sample standard deviation) row: linear-probe top-1 on the held-out speaker, in percent. A run
that has not finished shows as "-" and is left out of its column's mean (the count says how many
folds it has). Python 3 standard library only.

    python3 scripts/loso_table.py results/fsdd-loso
"""
import json
import statistics
import sys
from pathlib import Path

# column title, run folder, field of its results.json
COLUMNS = [
    ("MFCC mean", "baselines", "mfcc_linear_top1"),
    ("MFCC mean+std", "baselines", "mfcc_mean_std_linear_top1"),
    ("random init", "baselines", "random_init_linear_top1"),
    ("wav2vec 2.0", "wav2vec2", "linear_top1"),
    ("HuBERT it. 1", "hubert", "linear_top1"),
    ("HuBERT it. 2", "hubert2", "linear_top1"),
    ("ILS-SSL", "ils", "linear_top1"),
]


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def table(root):
    folds = sorted(p for p in Path(root).iterdir() if p.is_dir())
    header = "| held-out speaker | " + " | ".join(c[0] for c in COLUMNS) + " |"
    lines = [header, "|" + " --- |" * (len(COLUMNS) + 1)]
    values = [[] for _ in COLUMNS]
    steps = {}
    for fold in folds:
        cells = []
        for i, (_, run, field) in enumerate(COLUMNS):
            res = read(fold / run / "results.json")
            v = None if res is None else res.get(field)
            if isinstance(v, (int, float)):
                values[i].append(100.0 * v)
                cells.append("%.1f" % (100.0 * v))
                if res.get("steps") is not None:
                    steps.setdefault(run, []).append(res["steps"])
            else:
                cells.append("-")
        lines.append("| " + fold.name + " | " + " | ".join(cells) + " |")

    def mean(vs):
        if not vs:
            return "-"
        sd = " ± %.1f" % statistics.stdev(vs) if len(vs) > 1 else ""
        return "%.1f%s (%d)" % (statistics.mean(vs), sd, len(vs))

    lines.append("| **mean ± sd (folds)** | " + " | ".join(mean(v) for v in values) + " |")
    out = "\n".join(lines)
    if steps:
        out += "\n\nTraining steps per fold (mean): " + ", ".join(
            "%s %.0f" % (run, statistics.mean(s)) for run, s in steps.items())
    return out


def main(argv):
    if len(argv) != 2 or not Path(argv[1]).is_dir():
        print("usage: loso_table.py <results folder of scripts/fsdd-loso.sh>", file=sys.stderr)
        return 2
    print(table(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
