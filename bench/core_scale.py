"""The core pipeline's cost by plan size: parse, compute, render, no-change diff.

Run: `python bench/core_scale.py [--sizes 100,1000,10000,100000] [--gc default,paused]`.
Each size runs in a fresh process (so the RSS figure is that size's own); prints each
stage's time (median of 3 runs, 1 for 100k), the peak RSS, and the growth per 10× in
actions of the total and of each stage (×10 = linear). `--gc paused` runs the pipeline as
`sheetpilot._sync.core_gc()` does (the collector paused, the parsed grids frozen), side
by side with the default collector.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

STAGES = ("parse", "compute", "render", "diff", "total")


def measure(actions: int, reps: int, gc_mode: str) -> dict[str, float]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from contextlib import nullcontext

    from bench.generated_plan import TODAY, generated_grids
    from sheetpilot._compute import compute_plan
    from sheetpilot._diff import diff
    from sheetpilot._parse import parse_plan
    from sheetpilot._render import render
    from sheetpilot._sync import core_gc
    from sheetpilot._workbook import Snapshot, TabData

    grids = generated_grids(actions)
    times: dict[str, list[float]] = {s: [] for s in STAGES}
    for _ in range(reps):
        paused = core_gc() if gc_mode == "paused" else nullcontext()
        paused.__enter__()
        t0 = time.perf_counter()
        parsed = parse_plan(grids, "fr")
        t1 = time.perf_counter()
        result = compute_plan(parsed, TODAY)
        t2 = time.perf_counter()
        rendered = render(parsed, result, list(grids))
        t3 = time.perf_counter()
        # the no-change case: the sheet already shows what the render wants
        first = diff(Snapshot(tuple(TabData(t, g) for t, g in grids.items())), rendered)
        synced = _applied(grids, first)
        t4 = time.perf_counter()
        changes = diff(synced, rendered)
        t5 = time.perf_counter()
        paused.__exit__(None, None, None)
        del first, synced, rendered, result, parsed
        assert changes.empty, "the no-change diff found changes"
        for stage, dt in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t5 - t4), strict=False):
            times[stage].append(dt)
        times["total"].append((t3 - t0) + (t5 - t4))
        del t4
    out = {s: statistics.median(v) for s, v in times.items()}
    out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def _applied(grids, changes):
    from sheetpilot._diff import apply
    from sheetpilot._workbook import Snapshot, TabData

    return apply(Snapshot(tuple(TabData(t, g) for t, g in grids.items())), changes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,10000,100000")
    parser.add_argument("--gc", default="default,paused", help="default, paused or both")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="default", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(measure(args.child, 1 if args.child >= 50_000 else 3, args.mode)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    modes = args.gc.split(",")
    rows: dict[tuple[str, int], dict[str, float]] = {}
    for mode in modes:
        for n in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(n), "--mode", mode],
                capture_output=True,
                text=True,
                check=True,
            )
            rows[mode, n] = json.loads(out.stdout)
    table = Table(title="Core pipeline by plan size (seconds, median; fresh process per size)")
    table.add_column("gc")
    table.add_column("actions", justify="right")
    for s in STAGES:
        table.add_column(s, justify="right")
    table.add_column("peak RSS", justify="right")
    table.add_column("growth per 10× (parse/compute/render/diff/total)", justify="right")
    for mode in modes:
        previous = None
        for n in sizes:
            r = rows[mode, n]
            growth = ""
            if previous is not None and n == previous[0] * 10:
                growth = "/".join(f"×{r[s] / max(previous[1][s], 1e-9):.1f}" for s in STAGES)
            table.add_row(
                mode,
                f"{n:,}",
                *(f"{r[s]:.3f}" for s in STAGES),
                f"{r['rss_mb']:.0f} MB",
                growth,
            )
            previous = (n, r)
    if len(modes) == 2:
        for n in sizes:
            a, b = rows[modes[0], n], rows[modes[1], n]
            table.add_row(
                f"{modes[0]} ÷ {modes[1]}",
                f"{n:,}",
                *(f"{a[s] / max(b[s], 1e-9):.2f}" for s in STAGES),
                f"{a['rss_mb'] / b['rss_mb']:.2f}",
                "",
            )
    Console(width=150).print(table)


if __name__ == "__main__":
    main()
