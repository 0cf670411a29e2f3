"""Timing helper shared by the PyTorch side-by-side scripts: warm up, then the median of timed runs."""
import statistics
import time

import torch


def setup():
    torch.set_num_threads(2)
    torch.manual_seed(0)


def time_ms(fn, warmup=5, runs=20, min_seconds=2.0):
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < runs or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
        if len(times) > 2000:
            break
    return statistics.median(times)
