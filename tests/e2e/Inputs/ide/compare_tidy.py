"""Runs `threadwise check` and clang-tidy-19 with the threadwise module on the same files and
compares their warnings and notes (file, line, column, check, message).

  compare_tidy.py --threadwise BIN --module SO FILE... [-- FLAGS]

Prints "SAME <n> warnings <m> notes <file>" per file; exits 1 on any difference.
"""
import argparse
import os
import re
import subprocess
import sys

DIAG = re.compile(r"^(?P<file>[^ :][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<kind>warning|note): "
                  r"(?P<msg>.*?)(?: \[(?P<check>threadwise-[^\],]+)(?:,-warnings-as-errors)?\])?$")


def diagnostics(text):
    """Warnings and their notes. A fix-it note repeated for a second edit of the same fix
    (e.g. the `#include <atomic>` insertion next to the type change) is kept once: clang-tidy
    shows one note per fix description at a column (known difference, see docs/ide.md)."""
    out = []
    seen = set()
    for line in text.splitlines():
        m = DIAG.match(line)
        if not m:
            continue
        if m["kind"] == "warning":
            seen = set()
        elif (m["file"], m["msg"], m["col"]) in seen:
            continue
        seen.add((m["file"], m["msg"], m["col"]))
        out.append((m["kind"], os.path.realpath(m["file"]), int(m["line"]), int(m["col"]),
                    m["check"] or "", m["msg"]))
    return out


def main():
    argv = sys.argv[1:]
    flags = []
    if "--" in argv:
        flags = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    ap = argparse.ArgumentParser()
    ap.add_argument("--threadwise", required=True)
    ap.add_argument("--module", required=True)
    ap.add_argument("--clang-tidy", default="clang-tidy-19")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args(argv)
    failed = False
    for f in args.files:
        tw = subprocess.run([args.threadwise, "check", f, "--"] + flags,
                            capture_output=True, text=True, timeout=300)
        tidy = subprocess.run([args.clang_tidy, "--load=" + args.module, "-checks=-*,threadwise-*",
                               f, "--"] + flags, capture_output=True, text=True, timeout=300)
        a, b = diagnostics(tw.stdout), diagnostics(tidy.stdout)
        name = os.path.basename(f)
        if a != b:
            failed = True
            print("DIFFERENT " + name)
            print("  threadwise check:")
            for d in a:
                print("    %r" % (d,))
            print("  clang-tidy:")
            for d in b:
                print("    %r" % (d,))
            print(tidy.stderr)
        else:
            print("SAME %d warnings %d notes %s" % (sum(d[0] == "warning" for d in a),
                                                   sum(d[0] == "note" for d in a), name))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
