#!/usr/bin/env python3
"""Times `threadwise check -p DIR -j N` against clang -fsyntax-only over the same compile DB.

Both sides run in this one process's lifetime, alternating (syntax-only, check, syntax-only,
check, ...) after one untimed warm-up of each, so page cache, CPU frequency and the other jobs
on a shared machine hit both sides alike. Reports the median wall time of each side, their
ratio, the same for CPU time (user + system, the steadier figure on a loaded machine), and
the peak RSS that GNU time reports for each side (for the syntax-only side that is
the largest single clang process; for check it is the whole multi-threaded process).

The warm-up check run's JSON output is kept as <out>/<project>-findings.json for triage.
"""
import argparse
import collections
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import syntax_only  # noqa: E402
TIME = "/usr/bin/time"


def timed(cmd, stdout_path=None):
    """Runs cmd under GNU time; returns (exit code, wall s, peak RSS KiB, CPU s, stderr).

    CPU is user + system time of the command and every child it waited for; on a machine
    shared with other jobs it moves far less than wall time does."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        out = open(stdout_path, "w") if stdout_path else subprocess.DEVNULL
        try:
            proc = subprocess.run([TIME, "-f", "%e %M %U %S", "-o", tf.name] + cmd,
                                  stdout=out, stderr=subprocess.PIPE, text=True)
        finally:
            if stdout_path:
                out.close()
        wall, rss, user, system = tf.read().split()[-4:]
    return proc.returncode, float(wall), int(rss), float(user) + float(system), proc.stderr


def count_findings(path):
    try:
        with open(path) as f:
            findings = json.load(f).get("findings", [])
    except (OSError, ValueError):
        return None, {}
    return len(findings), collections.Counter(x.get("check", "?") for x in findings)


def bench_project(name, db_dir, opts):
    db = os.path.join(db_dir, "compile_commands.json")
    with open(db) as f:
        tus = len(syntax_only.first_command_per_file(json.load(f)))
    syntax = [sys.executable, os.path.join(HERE, "syntax_only.py"), "-j", str(opts.jobs), db]
    # --no-cache: this compares a full analysis with parsing; the incremental
    # cache (on by default) would turn every run after the first into cache hits.
    check = [opts.threadwise, "check", "-p", db_dir, "-j", str(opts.jobs), "--format", "json",
             "--no-cache"]
    findings_path = os.path.join(opts.out, f"{name}-findings.json")

    code, _, _, _, err = timed(syntax)
    if code != 0:
        sys.stderr.write(f"{name}: -fsyntax-only failed on some TUs:\n{err}")
    check_code, _, _, _, check_err = timed(check, findings_path)
    if check_code not in (0, 1):
        sys.stderr.write(f"{name}: threadwise check exited {check_code}:\n{check_err[-4000:]}")

    runs = {"syntax-only": [], "check": []}
    for _ in range(opts.runs):
        for side, cmd in (("syntax-only", syntax), ("check", check)):
            _, wall, rss, cpu, _ = timed(cmd)
            runs[side].append((wall, rss, cpu))
    total, by_check = count_findings(findings_path)
    med = {s: statistics.median(w for w, _, _ in r) for s, r in runs.items()}
    cpu = {s: statistics.median(c for _, _, c in r) for s, r in runs.items()}
    peak = {s: max(m for _, m, _ in r) for s, r in runs.items()}
    return {
        "project": name, "compile_db": db, "tus": tus, "jobs": opts.jobs, "runs": runs,
        "median_s": med, "median_cpu_s": cpu, "peak_rss_kib": peak,
        "ratio": med["check"] / med["syntax-only"] if med["syntax-only"] else None,
        "cpu_ratio": cpu["check"] / cpu["syntax-only"] if cpu["syntax-only"] else None,
        "check_exit": check_code, "findings": total, "findings_by_check": dict(by_check),
        "findings_file": findings_path,
    }


def verdict(r):
    if r["check_exit"] not in (0, 1):
        return f"invalid: check exit {r['check_exit']}"
    if r["ratio"] is None:
        return "-"
    return "ok (<=1.3x)" if r["ratio"] <= 1.3 else "MISSED (>1.3x)"


def print_table(results):
    head = ("project", "TUs", "syntax-only s", "check s", "ratio", "target", "CPU ratio",
            "RSS syntax MiB", "RSS check MiB", "exit", "findings")
    rows = [head]
    for r in results:
        ratio = r["ratio"]
        rows.append((r["project"], str(r["tus"]), f"{r['median_s']['syntax-only']:.2f}",
                     f"{r['median_s']['check']:.2f}",
                     f"{ratio:.2f}x" if ratio is not None else "-",
                     verdict(r),
                     f"{r['cpu_ratio']:.2f}x" if r["cpu_ratio"] is not None else "-",
                     f"{r['peak_rss_kib']['syntax-only'] / 1024:.0f}",
                     f"{r['peak_rss_kib']['check'] / 1024:.0f}", str(r["check_exit"]),
                     "-" if r["findings"] is None else str(r["findings"])))
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    for r in results:
        per_run = lambda side: " ".join(f"{w:.2f}" for w, _, _ in r["runs"][side])
        print(f"{r['project']}: syntax-only runs [{per_run('syntax-only')}] s, "
              f"check runs [{per_run('check')}] s; findings by check: "
              f"{r['findings_by_check'] or '{}'}; JSON: {r['findings_file']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threadwise", required=True)
    parser.add_argument("--out", required=True, help="directory for findings and summary")
    parser.add_argument("-j", dest="jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("project", nargs="+", help="NAME=DIR (DIR holds compile_commands.json)")
    opts = parser.parse_args()
    os.makedirs(opts.out, exist_ok=True)
    results = []
    for spec in opts.project:
        name, _, db_dir = spec.partition("=")
        results.append(bench_project(name, db_dir, opts))
    print_table(results)
    with open(os.path.join(opts.out, "check-vs-syntax-only.json"), "w") as f:
        json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
