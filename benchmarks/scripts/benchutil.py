"""Timing helper shared by the PyTorch side-by-side scripts: warm up, then the median of timed runs."""
import statistics
import time

import torch


def setup():
    torch.set_num_threads(2)
    torch.manual_seed(0)


def time_ms(fn, warmup=5, runs=20, min_seconds=2.0):
    return statistics.median(times_ms(fn, warmup, runs, min_seconds))


def times_ms(fn, warmup=5, runs=20, min_seconds=2.0):
    """Every timed call after warm-up, in ms: at least `runs` calls and `min_seconds`, at most 2001."""
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
    return times


def step_stats(fn, warmup=5, runs=20):
    """Times `runs` calls after `warmup`: (min ms, median ms, process CPU ms per call, peak RSS MiB).

    CPU time covers all threads of the process and is taken over all runs (the kernel counts it in
    ticks); peak RSS is the process's high-water mark (ru_maxrss), as VmHWM on the Java side.
    """
    import resource
    for _ in range(warmup):
        fn()
    times = []
    c0 = time.process_time()
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    cpu = (time.process_time() - c0) * 1e3 / runs
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return min(times), statistics.median(times), cpu, rss_mib


def print_result(case, stats):
    """One line in the format of the Java StepProfile's RESULT lines."""
    mn, med, cpu, rss = stats
    print(f"RESULT\t{case}\twall_min_ms\t{mn:.2f}\twall_median_ms\t{med:.2f}\tcpu_ms_per_step\t{cpu:.2f}"
          f"\tpeak_rss_mib\t{rss:.0f}", flush=True)
