#!/usr/bin/env python3
"""Small checks for the report-*.test lit tests (what FileCheck cannot say).

  check_report.py exit CODE -- CMD...       run CMD, require exit CODE, echo
                                            its stderr to stdout
  check_report.py lines MAX FILE            FILE has at most MAX lines
  check_report.py report FILE VERDICT       a valid threadwise-report v1
  check_report.py trace FILE                a valid trace-event JSON
"""
import json
import subprocess
import sys


def fail(msg):
    print("check_report: " + msg, file=sys.stderr)
    sys.exit(1)


def check_exit(argv):
    code, cmd = int(argv[0]), argv[2:]
    p = subprocess.run(cmd, capture_output=True, text=True)
    sys.stdout.write(p.stderr)
    if p.returncode != code:
        fail("exit %d, expected %d: %s" % (p.returncode, code, " ".join(cmd)))


def check_report(path, verdict):
    r = json.load(open(path))
    if r.get("format") != "threadwise-report" or r.get("version") != 1:
        fail("not a threadwise-report version 1")
    rec = r["recommendation"]
    if rec["verdict"] != verdict:
        fail("verdict %s, expected %s" % (rec["verdict"], verdict))
    if not 0 < rec["confidence"] <= 1:
        fail("confidence out of range")
    if not 1 <= len(rec["evidence"]) <= 5:
        fail("evidence must have 1-5 lines")
    sp = rec["predicted_speedup"]
    for option in ("threads", "processes", "fix-contention", "serial"):
        if len(sp[option]) != len(sp["workers"]):
            fail("predicted_speedup.%s does not match workers" % option)
    for key in ("metrics", "threads", "sites", "events", "profile"):
        if key not in r:
            fail("missing " + key)
    if r["profile"].get("format") != "threadwise-profile":
        fail("the embedded profile is not a threadwise-profile")
    m = r["metrics"]
    for key in ("parallelism", "wall_ns", "cpu_ns", "shares", "windows"):
        if key not in m:
            fail("missing metrics." + key)
    print("report ok: " + verdict)


def check_trace(path):
    t = json.load(open(path))
    ev = t.get("traceEvents")
    if not isinstance(ev, list) or not ev:
        fail("no traceEvents")
    phases = {e["ph"] for e in ev}
    if not {"M", "X"} <= phases:
        fail("need M and X events, got %s" % sorted(phases))
    for e in ev:
        if e["ph"] == "X":
            if not (isinstance(e["ts"], (int, float)) and e["dur"] >= 0):
                fail("bad X event %r" % e)
            if "pid" not in e or "tid" not in e:
                fail("X event without pid/tid")
    # Slices on one thread track must not overlap (Perfetto drops misnested
    # ones); allow a nanosecond of rounding.
    by_thread = {}
    for e in ev:
        if e["ph"] == "X":
            by_thread.setdefault((e["pid"], e["tid"]), []).append(
                (e["ts"], e["ts"] + e["dur"]))
    for key, slices in by_thread.items():
        slices.sort()
        for (s0, e0), (s1, e1) in zip(slices, slices[1:]):
            if s1 < e0 - 0.001:
                fail("overlapping slices on %s: %r and %r" % (key, (s0, e0), (s1, e1)))
    names = [e["args"]["name"] for e in ev if e["ph"] == "M"]
    print("trace ok: %d events, names %s" % (len(ev), ", ".join(names[:3])))


def main():
    what, args = sys.argv[1], sys.argv[2:]
    if what == "exit":
        check_exit(args)
    elif what == "lines":
        n = len(open(args[1]).read().splitlines())
        if n > int(args[0]):
            fail("%d lines, at most %s allowed" % (n, args[0]))
        print("lines ok")
    elif what == "report":
        check_report(args[0], args[1])
    elif what == "trace":
        check_trace(args[0])
    else:
        fail("unknown check " + what)


if __name__ == "__main__":
    main()
