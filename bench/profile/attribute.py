#!/usr/bin/env python3
"""Attributes the profiler's overhead to functions (bench/profile/attribute.sh).

Usage: attribute.py LOG FREQ. LOG's lines are "<plain|tw> <perf.data>
<workload output with ops=N ns_per_op=X>"; FREQ is perf's sampling rate (Hz).
For each run, the workload's process (the command with the most samples in the
plain runs) has its cpu-clock samples counted per (object, function); a
function's cost per op is its share of the workload's samples times the run's
ns/op. Costs are averaged per mode, and the launcher's CPU (threadwise's own
commands) is summed per run.
"""
import collections
import re
import subprocess
import sys

LAUNCHER = ("threadwise", "threadwise-prof")  # comm is cut to 15 characters
NOT_WORKLOAD = LAUNCHER + ("swapper", "perf", "perf-exec")
MIN_SAMPLES = 5


def report(data):
    """{(comm, 'object function'): samples} of one perf.data file."""
    out = subprocess.run(
        ["perf", "report", "-i", data, "--no-children", "--sort", "comm,dso,sym",
         "-n", "-t", "\t", "-q"],
        capture_output=True, text=True, check=True).stdout
    counts = collections.Counter()
    for line in out.splitlines():
        f = [x.strip() for x in line.split("\t")]
        if len(f) >= 5 and f[1].isdigit():
            counts[(f[2], f[3] + " " + f[4])] += int(f[1])
    return counts


def main():
    freq = float(sys.argv[2])
    runs = []  # (mode, counts, ns_per_op, ops)
    for line in open(sys.argv[1]):
        mode, data, rest = (line.split(maxsplit=2) + [""])[:3]
        m = re.search(r"ops=([0-9]+) ns_per_op=([0-9.]+)", rest)
        if not m:
            sys.exit(f"attribute.py: no ops=N ns_per_op=X in: {line.strip()}")
        runs.append((mode, report(data), float(m.group(2)), int(m.group(1))))
    by_comm = collections.Counter()
    for mode, counts, _, _ in runs:
        if mode == "plain":
            for (comm, _), n in counts.items():
                if comm not in NOT_WORKLOAD and not comm.startswith("kworker"):
                    by_comm[comm] += n
    workload = by_comm.most_common(1)[0][0]

    cost = {"plain": collections.Counter(), "tw": collections.Counter()}
    samples = {"plain": collections.Counter(), "tw": collections.Counter()}
    nsop = collections.defaultdict(list)
    launcher, n = [], collections.Counter()
    for mode, counts, ns, ops in runs:
        mine = {k[1]: v for k, v in counts.items() if k[0] == workload}
        total = sum(mine.values())
        if not total:
            sys.exit(f"attribute.py: no samples of '{workload}' in a {mode} run")
        for fn, v in mine.items():
            cost[mode][fn] += v / total * ns
            samples[mode][fn] += v
        nsop[mode].append(ns)
        n[mode] += 1
        if mode == "tw":
            ms = sum(v for k, v in counts.items() if k[0] in LAUNCHER) / freq * 1e3
            launcher.append((ms, ms / (ns * ops / 1e6)))
    for mode in cost:
        for fn in cost[mode]:
            cost[mode][fn] /= n[mode]
    plain = sum(cost["plain"].values())

    def pct(x):
        return f"{x / plain * 100:+.2f}%"

    def med(xs):
        xs = sorted(xs)
        return xs[len(xs) // 2]

    print(f"process '{workload}', {n['plain']} plain and {n['tw']} profiled runs;"
          f" ns/op (median): {med(nsop['plain']):.6g} plain, {med(nsop['tw']):.6g} profiled")

    def only_in(mode, other):
        return {fn: c for fn, c in cost[mode].items() if not samples[other][fn]}

    # A function sampled a few times in one mode only may be chance: those are
    # summed apart, next to the same sum the other way round (the noise).
    new = only_in("tw", "plain")
    sure = {fn: c for fn, c in new.items() if samples["tw"][fn] >= MIN_SAMPLES}
    rare = sum(new.values()) - sum(sure.values())
    gone = sum(only_in("plain", "tw").values())
    print(f"functions that never ran in the plain runs, sampled >= {MIN_SAMPLES} times:"
          f" {sum(sure.values()):.4g} ns/op ({pct(sum(sure.values()))} of plain)")
    for fn, c in sorted(sure.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {c:9.4g} ns/op {pct(c):>8}  {fn}")
    print(f"  and sampled fewer times: {rare:.4g} ns/op ({pct(rare)}); the noise, functions"
          f" that never ran in the profiled runs: {gone:.4g} ns/op ({pct(gone)})")
    by_object = collections.Counter()
    for fn, c in new.items():
        by_object[fn.split(" ")[0]] += c
    print("  all of them by object: " + ", ".join(
        f"{obj} {pct(c)}" for obj, c in by_object.most_common(6)))
    fns = set(cost["plain"]) | set(cost["tw"])
    diff = sorted(fns - set(new) - set(only_in("plain", "tw")), key=lambda fn: -abs(cost["tw"][fn] - cost["plain"][fn]))
    print("largest changes of the others (plain -> profiled ns/op; sampling noise included):")
    for fn in diff[:8]:
        p, t = cost["plain"][fn], cost["tw"][fn]
        print(f"  {p:9.4g} -> {t:9.4g} {pct(t - p):>8}  {fn}")
    ms, share = med(launcher)
    print(f"launcher CPU (median run): {ms:.1f} ms, {share * 100:.2f}% of one CPU over"
          " the workload's own time")


if __name__ == "__main__":
    main()
