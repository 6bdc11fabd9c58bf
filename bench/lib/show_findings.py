#!/usr/bin/env python3
"""Prints threadwise JSON findings with the source lines around each, for hand triage.

    show_findings.py [--context N] [--check PREFIX] FINDINGS.json [...]

Accepts the JSON of `threadwise check --format json` and the dataracebench.json that
eval_dataracebench.py writes (whose cases hold findings per file; --verdict FP picks the
false positives).
"""
import argparse
import json
import os
import sys


def excerpt(path, line, context):
    try:
        with open(path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return "    (source not readable)"
    lo, hi = max(1, line - context), min(len(lines), line + context)
    return "\n".join(f"  {'>' if n == line else ' '}{n:5} {lines[n - 1]}" for n in range(lo, hi + 1))


def note_text(note):
    if isinstance(note, dict):
        where = f"{note.get('file', '')}:{note.get('line', '')}:{note.get('column', '')}"
        return f"{where}: {note.get('message', '')}"
    return str(note)


def load(path, verdict):
    with open(path) as f:
        data = json.load(f)
    if "cases" in data:
        for case in data["cases"]:
            if verdict and case["verdict"] != verdict:
                continue
            yield from case["findings"]
    else:
        yield from data.get("findings", [])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--context", type=int, default=3)
    parser.add_argument("--check", default="", help="only checks starting with this")
    parser.add_argument("--verdict", help="for dataracebench.json: TP, FP, TN or FN")
    parser.add_argument("files", nargs="+")
    opts = parser.parse_args()
    n = 0
    for path in opts.files:
        for f in load(path, opts.verdict):
            if not str(f.get("check", "")).startswith(opts.check):
                continue
            n += 1
            print(f"[{n}] {f.get('file')}:{f.get('line')}:{f.get('column')}: "
                  f"{f.get('message')} [{f.get('check')}]")
            print(excerpt(f.get("file", ""), int(f.get("line") or 0), opts.context))
            for note in f.get("notes", []) or []:
                print(f"    note: {note_text(note)}")
            print()
    print(f"{n} findings", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
