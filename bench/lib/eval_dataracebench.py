#!/usr/bin/env python3
"""Scores `threadwise check` on DataRaceBench's labelled C/C++ micro-benchmarks.

Each micro-benchmark's file name ends in -yes (it has a data race) or -no (it has none). A
file counts as *reported* when threadwise emits at least one finding whose check name starts
with --checks-prefix (default threadwise-race-). That gives TP/FP/TN/FN per file, then
precision, recall and F1. A TP is also "located" when a finding's line is one of the lines
DataRaceBench's header comment names in its "Data race pair" (x@LINE:COL:W vs. ...).

Files needing target offload (`#pragma omp target`, the *-gpu-* cases) are skipped: they
describe races on a device threadwise does not model. A file threadwise cannot analyse
(exit 2/3, timeout) counts as not reported and is listed as an error.
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

# DataRaceBench's own script compiles with gcc -std=c99, where implicit declarations
# (usleep in signaling.h) and M_PI are tolerated; clang needs the GNU dialect for them.
C_FLAGS = ["-fopenmp", "-std=gnu99", "-DPOLYBENCH_NO_FLUSH_CACHE", "-DPOLYBENCH_TIME"]
CXX_FLAGS = ["-fopenmp"]
TARGET_RE = re.compile(r"#\s*pragma\s+omp\s+.*\btarget\b", re.I)
PAIR_RE = re.compile(r"@(\d+):\d+:[RW]")
# "a[i+1]@64:10:R": the accessed expression before the @, to tell array-element races apart.
PAIR_EXPR_RE = re.compile(r"([A-Za-z_][^\s@]*)@\d+:\d+:[RW]")


def label(name):
    stem = os.path.splitext(name)[0]
    if stem.endswith("-yes"):
        return True
    if stem.endswith("-no"):
        return False
    return None


def race_lines(text):
    """Lines named in the header's 'Data race pair' comments."""
    return {int(m) for m in PAIR_RE.findall(text)}


def race_kind(text):
    """'array' when DRB's race pair is on array elements, 'scalar' otherwise, '?' unlabelled."""
    exprs = PAIR_EXPR_RE.findall(text)
    if not exprs:
        return "?"
    return "array" if any("[" in e for e in exprs) else "scalar"


def finding_lines(finding):
    lines = {finding.get("line")}
    for note in finding.get("notes", []) or []:
        if isinstance(note, dict) and "line" in note:
            lines.add(note["line"])
    return lines


def check_one(path, opts, micro):
    is_cxx = path.endswith(".cpp")
    extra = (CXX_FLAGS if is_cxx else C_FLAGS) + ["-I" + micro, "-I" + os.path.join(micro, "utilities")]
    cmd = [opts.threadwise, "check", "--format", "json", "-j", "1", path, "--"] + extra
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              timeout=opts.timeout)
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired:
        return {"exit": "timeout", "findings": [], "stderr": ""}
    try:
        findings = json.loads(out).get("findings", []) if out.strip() else []
    except ValueError:
        findings = []
        err = "unparsable JSON on stdout\n" + err
    return {"exit": code, "findings": findings, "stderr": err[-2000:]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threadwise", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--checks-prefix", default="threadwise-race-")
    parser.add_argument("-j", dest="jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("drb_dir", help="a DataRaceBench checkout (holds micro-benchmarks/)")
    opts = parser.parse_args()

    micro = os.path.join(os.path.abspath(opts.drb_dir), "micro-benchmarks")
    cases, skipped = [], []
    for name in sorted(os.listdir(micro)):
        if not name.endswith((".c", ".cpp")) or label(name) is None:
            continue
        path = os.path.join(micro, name)
        with open(path, errors="replace") as f:
            text = f.read()
        if "-gpu-" in name or TARGET_RE.search(text):
            skipped.append(name)
            continue
        cases.append((name, path, label(name), race_lines(text), race_kind(text)))

    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        results = list(pool.map(lambda c: check_one(c[1], opts, micro), cases))

    rows, counts = [], {"TP": 0, "FP": 0, "TN": 0, "FN": 0}
    located = 0
    errors = []
    for (name, path, racy, pairs, kind_of_race), res in zip(cases, results):
        races = [f for f in res["findings"] if str(f.get("check", "")).startswith(opts.checks_prefix)]
        reported = bool(races)
        kind = ("TP" if reported else "FN") if racy else ("FP" if reported else "TN")
        counts[kind] += 1
        hit = kind == "TP" and any(finding_lines(f) & pairs for f in races)
        located += hit
        if res["exit"] not in (0, 1):
            errors.append((name, res["exit"], res["stderr"].strip().splitlines()[-1:] or [""]))
        rows.append({"file": name, "racy": racy, "verdict": kind, "located": hit,
                     "race_on": kind_of_race if racy else None,
                     "exit": res["exit"], "race_pair_lines": sorted(pairs),
                     "findings": res["findings"]})

    tp, fp, fn = counts["TP"], counts["FP"], counts["FN"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    os.makedirs(opts.out, exist_ok=True)
    with open(os.path.join(opts.out, "dataracebench.json"), "w") as f:
        json.dump({"counts": counts, "precision": precision, "recall": recall, "f1": f1,
                   "located": located, "skipped": skipped, "cases": rows}, f, indent=2)

    yes = sum(1 for c in cases if c[2])
    print(f"files evaluated: {len(cases)} ({yes} racy, {len(cases) - yes} race-free); "
          f"skipped {len(skipped)} needing target offload/GPU (#pragma omp target or -gpu-)")
    print("TP    FP    TN    FN    precision  recall  F1     TP located on a race-pair line")
    print(f"{tp:<5} {fp:<5} {counts['TN']:<5} {fn:<5} {precision:<10.3f} {recall:<7.3f} "
          f"{f1:<6.3f} {located}/{tp}")
    for on in ("scalar", "array", "?"):
        racy_rows = [r for r in rows if r["racy"] and r["race_on"] == on]
        if racy_rows:
            found = sum(r["verdict"] == "TP" for r in racy_rows)
            print(f"recall on races on {'unlabelled' if on == '?' else on + 's'}: "
                  f"{found}/{len(racy_rows)}")
    for kind in ("FP", "FN"):
        names = [r["file"] for r in rows if r["verdict"] == kind]
        print(f"{kind} ({len(names)}):")
        for r in rows:
            if r["verdict"] != kind:
                continue
            first = next((f for f in r["findings"]
                          if str(f.get("check", "")).startswith(opts.checks_prefix)), None)
            where = f"  line {first.get('line')}: {first.get('message', '')}" if first else ""
            print(f"  {r['file']}{where}")
    if errors:
        print(f"errors ({len(errors)}; counted as not reported):")
        for name, code, last in errors:
            print(f"  {name}: exit {code} {last[0]}")
    print(f"details: {os.path.join(opts.out, 'dataracebench.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
