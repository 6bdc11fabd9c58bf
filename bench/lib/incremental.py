#!/usr/bin/env python3
"""Times `threadwise check -p` cold (empty cache) against warm (after touching one file).

For each project the sources are copied to a scratch directory (the corpus is never edited)
and its compile DB rewritten to point there. Then, RUNS times, alternating: a cold run with an
empty cache directory, and a warm run after appending a comment to one TU's source file (a
different file each run, spread over the database) with the cache the cold run left. Reports
the median wall and CPU time of each side and warm/cold ratios (target: warm <= 10% of cold),
checks that the warm run parsed exactly one TU ("cache: N-1 hits, 1 miss") and that its
findings equal the cold run's.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import syntax_only  # noqa: E402
from check_vs_syntax_only import timed  # noqa: E402


def source_root(db_dir, entries):
    """The common directory of the DB and every TU: what to copy."""
    paths = [os.path.abspath(db_dir)]
    for e in entries:
        f = e["file"]
        paths.append(os.path.dirname(f if os.path.isabs(f) else os.path.join(e["directory"], f)))
    return os.path.commonpath(paths)


def copy_project(db_dir, scratch):
    with open(os.path.join(db_dir, "compile_commands.json")) as f:
        entries = json.load(f)
    root = source_root(db_dir, entries)
    dest = os.path.join(scratch, "src")
    shutil.copytree(root, dest, symlinks=True, ignore=shutil.ignore_patterns(".threadwise-cache"))
    text = json.dumps(entries).replace(root + "/", dest + "/").replace(f'"{root}"', f'"{dest}"')
    new_db_dir = os.path.join(dest, os.path.relpath(db_dir, root))
    with open(os.path.join(new_db_dir, "compile_commands.json"), "w") as f:
        f.write(text)
    tus = syntax_only.first_command_per_file(json.loads(text))
    files = sorted(e["file"] if os.path.isabs(e["file"]) else os.path.join(e["directory"], e["file"])
                   for e in tus)
    return new_db_dir, files


def findings(path):
    with open(path) as f:
        return json.load(f)["findings"]


def bench_project(name, db_dir, opts):
    scratch = tempfile.mkdtemp(prefix=f"tw-incremental-{name}-")
    try:
        db, files = copy_project(db_dir, scratch)
        cache = os.path.join(scratch, "cache")
        out_cold, out_warm = os.path.join(scratch, "cold.json"), os.path.join(scratch, "warm.json")
        check = [opts.threadwise, "check", "-p", db, "-j", str(opts.jobs), "--format", "json",
                 "--cache-dir", cache, "--verbose"]
        runs = {"cold": [], "warm": []}
        touched, problems = [], []
        for i in range(opts.runs + 1):  # Run 0 warms the page cache and is not counted.
            shutil.rmtree(cache, ignore_errors=True)
            code, wall, _, cpu, err = timed(check, out_cold)
            if code not in (0, 1):
                problems.append(f"cold run exited {code}: {err[-2000:]}")
            victim = files[(i * len(files)) // (opts.runs + 1)]
            with open(victim, "a") as f:
                f.write(f"\n/* threadwise incremental benchmark, run {i} */\n")
            wcode, wwall, _, wcpu, werr = timed(check, out_warm)
            stats = re.search(r"cache: (\d+) hits?, (\d+) miss", werr)
            if not stats or int(stats.group(2)) != 1:
                problems.append(f"warm run after touching {victim}: expected 1 miss, got "
                                f"{stats.group(0) if stats else 'no cache line'}")
            if wcode != code or findings(out_cold) != findings(out_warm):
                problems.append(f"warm run after touching {victim}: findings differ from cold")
            if i == 0:
                continue
            runs["cold"].append((wall, cpu))
            runs["warm"].append((wwall, wcpu))
            touched.append(os.path.relpath(victim, os.path.join(scratch, "src")))
        med = {s: statistics.median(w for w, _ in r) for s, r in runs.items()}
        cpu = {s: statistics.median(c for _, c in r) for s, r in runs.items()}
        return {"project": name, "tus": len(files), "jobs": opts.jobs, "runs": runs,
                "median_s": med, "median_cpu_s": cpu,
                "ratio": med["warm"] / med["cold"] if med["cold"] else None,
                "cpu_ratio": cpu["warm"] / cpu["cold"] if cpu["cold"] else None,
                "touched": touched, "problems": problems}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def print_table(results):
    head = ("project", "TUs", "cold s", "warm s", "warm/cold", "target", "CPU warm/cold", "checks")
    rows = [head]
    for r in results:
        ok = r["ratio"] is not None and r["ratio"] <= 0.10
        rows.append((r["project"], str(r["tus"]), f"{r['median_s']['cold']:.2f}",
                     f"{r['median_s']['warm']:.2f}", f"{r['ratio']:.1%}",
                     "ok (<=10%)" if ok else "MISSED (>10%)", f"{r['cpu_ratio']:.1%}",
                     "ok" if not r["problems"] else "FAILED"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    for r in results:
        runs = lambda side: " ".join(f"{w:.2f}" for w, _ in r["runs"][side])
        print(f"{r['project']}: cold runs [{runs('cold')}] s, warm runs [{runs('warm')}] s; "
              f"touched: {', '.join(r['touched'])}")
        for p in r["problems"]:
            print(f"{r['project']}: PROBLEM: {p}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threadwise", required=True)
    parser.add_argument("--out", required=True, help="directory for the JSON summary")
    parser.add_argument("-j", dest="jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("project", nargs="+", help="NAME=DIR (DIR holds compile_commands.json)")
    opts = parser.parse_args()
    os.makedirs(opts.out, exist_ok=True)
    results = [bench_project(*spec.split("=", 1), opts) for spec in opts.project]
    print_table(results)
    with open(os.path.join(opts.out, "incremental.json"), "w") as f:
        json.dump(results, f, indent=2)
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
