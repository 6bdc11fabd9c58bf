#!/usr/bin/env python3
"""Checks flame graph outputs against the JSON report they came from.

  check_flame.py REPORT.json [--collapsed FILE [--kind K]] [--speedscope FILE [--kind K]]
                 [--expect KIND:FRAME ...]

REPORT.json is a `threadwise-report` (it embeds its profile). For each thread
and stack kind, the values in the collapsed file (folded stacks, one
"frame;frame;... value" line each) and in the speedscope file (one sampled
profile per thread and kind) must add up exactly to that thread's total of
the kind in the report ("threads": cpu_ns, run_delay_ns, lock_ns, io_ns +
ipc_ns, sleep_ns, wait_ns, gil_ns). --expect KIND:FRAME asserts that FRAME
(a function name) is on the heaviest stack of KIND (and so in the outputs).
Prints what it checked; exits 1 with the first mismatch. Stdlib only.
"""
import argparse
import collections
import json
import re
import sys

KINDS = ["cpu", "runnable", "lock", "io", "gil", "sleep", "wait"]


def fail(msg):
    print("check_flame: FAIL: " + msg)
    sys.exit(1)


def report_totals(report):
    """(pid, tid, kind) -> ns, from the report's thread table."""
    out = {}
    for t in report["threads"]:
        v = {"cpu": t["cpu_ns"], "runnable": t["run_delay_ns"], "lock": t["lock_ns"],
             "io": t["io_ns"] + t["ipc_ns"], "gil": t["gil_ns"], "sleep": t["sleep_ns"],
             "wait": t["wait_ns"]}
        for k, ns in v.items():
            out[(t["pid"], t["tid"], k)] = ns
    return out


def labels(profile):
    """'exe [pid]' -> pid and (pid, 'name [tid]') -> tid, as the outputs spell them."""
    procs, threads = {}, {}
    for p in profile["processes"]:
        exe = p["exe"] or (p["argv"][0] if p["argv"] else "")
        name = exe.rsplit("/", 1)[-1] or "process"
        procs["%s [%d]" % (name, p["pid"])] = p["pid"]
        for t in p["threads"]:
            threads[(p["pid"], "%s [%d]" % (t["name"] or "thread", t["tid"]))] = t["tid"]
    return procs, threads


def compare(what, got, want, kind_filter):
    checked = 0
    for (pid, tid, kind), ns in want.items():
        if kind_filter not in ("all", kind):
            continue
        if ns == 0 and (pid, tid, kind) not in got:
            continue
        if got.get((pid, tid, kind), 0) != ns:
            fail("%s: thread %d/%d %s: %d ns in the flame output, %d ns in the report"
                 % (what, pid, tid, kind, got.get((pid, tid, kind), 0), ns))
        checked += 1
    extra = [k for k in got if k not in want and got[k]]
    if extra:
        fail("%s: stacks of threads the report does not list: %s" % (what, extra[:3]))
    if checked == 0:
        fail("%s: no thread totals to compare" % what)
    return checked


def check_collapsed(path, kind, procs, threads, want):
    got = collections.Counter()
    heaviest = {}
    line_re = re.compile(r"^(.+) (\d+)$")
    with open(path) as f:
        for n, line in enumerate(f, 1):
            m = line_re.match(line.rstrip("\n"))
            if not m:
                fail("%s:%d: not 'frames value': %r" % (path, n, line))
            frames, value = m.group(1).split(";"), int(m.group(2))
            if any(fr == "" for fr in frames):
                fail("%s:%d: empty frame" % (path, n))
            k = kind
            if kind == "all":
                k = frames.pop(0)
                if k not in KINDS:
                    fail("%s:%d: unknown kind root frame %r" % (path, n, k))
            if len(frames) < 3:
                fail("%s:%d: fewer than process;thread;frame" % (path, n))
            pid = procs.get(frames[0])
            tid = threads.get((pid, frames[1]))
            if pid is None or tid is None:
                fail("%s:%d: unknown process/thread %r %r" % (path, n, frames[0], frames[1]))
            got[(pid, tid, k)] += value
            if value > heaviest.get(k, (0, None))[0]:
                heaviest[k] = (value, frames[2:])
    return compare(path, got, want, kind), {k: v[1] for k, v in heaviest.items()}


def check_speedscope(path, kind, procs, threads, want):
    with open(path) as f:
        doc = json.load(f)
    if doc.get("$schema") != "https://www.speedscope.app/file-format-schema.json":
        fail("%s: no speedscope $schema" % path)
    frames = doc["shared"]["frames"]
    if not all(isinstance(fr.get("name"), str) and fr["name"] for fr in frames):
        fail("%s: a frame without a name" % path)
    got = collections.Counter()
    heaviest = {}
    for prof in doc["profiles"]:
        if prof["type"] != "sampled" or prof["unit"] != "nanoseconds":
            fail("%s: profile %r is not sampled in nanoseconds" % (path, prof.get("name")))
        if len(prof["samples"]) != len(prof["weights"]):
            fail("%s: %r: samples and weights differ in length" % (path, prof["name"]))
        total = sum(prof["weights"])
        if prof["startValue"] != 0 or prof["endValue"] != total:
            fail("%s: %r: endValue %r, weights add up to %d" % (path, prof["name"],
                                                                  prof["endValue"], total))
        for s in prof["samples"]:
            if not s or any(not (0 <= i < len(frames)) for i in s):
                fail("%s: %r: a stack with a bad frame index" % (path, prof["name"]))
        proc, thread, k = prof["name"].split(" / ")
        pid = procs.get(proc)
        tid = threads.get((pid, thread))
        if pid is None or tid is None or k not in KINDS:
            fail("%s: profile name %r names no thread and kind" % (path, prof["name"]))
        got[(pid, tid, k)] += total
        for s, w in zip(prof["samples"], prof["weights"]):
            if w > heaviest.get(k, (0, None))[0]:
                heaviest[k] = (w, [frames[i]["name"] for i in s])
    return compare(path, got, want, kind), {k: v[1] for k, v in heaviest.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("report")
    ap.add_argument("--collapsed")
    ap.add_argument("--speedscope")
    ap.add_argument("--kind", default="all")
    ap.add_argument("--expect", action="append", default=[])
    a = ap.parse_args()
    with open(a.report) as f:
        report = json.load(f)
    if report.get("format") != "threadwise-report":
        fail("%s is not a threadwise report" % a.report)
    want = report_totals(report)
    procs, threads = labels(report["profile"])
    tops = []
    if a.collapsed:
        n, top = check_collapsed(a.collapsed, a.kind, procs, threads, want)
        tops.append(top)
        print("check_flame: collapsed: %d thread/kind totals match" % n)
    if a.speedscope:
        n, top = check_speedscope(a.speedscope, a.kind, procs, threads, want)
        tops.append(top)
        print("check_flame: speedscope: %d thread/kind totals match" % n)
    for e in a.expect:
        kind, frame = e.split(":", 1)
        for top in tops:
            stack = top.get(kind)
            if not stack or not any(frame in fr for fr in stack):
                fail("%s is not on the heaviest %s stack: %s" % (frame, kind, stack))
        print("check_flame: %s is on the heaviest %s stack" % (frame, kind))


if __name__ == "__main__":
    main()
