"""Assert facts about a profile or report JSON: profile_query.py FILE EXPR...

Each EXPR is a Python expression over `p` (the parsed file) and the helpers
below; the script fails, naming the expression, when one is false. Used by the
lit tests to check structure and verdicts, never timings."""
import json
import sys


def procs(p):
    return p.get("processes", [])


def threads(p):
    return [t for pr in procs(p) for t in pr.get("threads", [])]


def sites(p, kind=None):
    return [s for s in p.get("sites", []) if kind is None or s["kind"] == kind]


def pythons(p):
    return [pr["python"] for pr in procs(p) if pr.get("python")]


def root(p):
    return procs(p)[0]


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: profile_query.py FILE EXPR...")
    with open(sys.argv[1]) as f:
        p = json.load(f)
    env = {"p": p, "procs": procs, "threads": threads, "sites": sites,
           "pythons": pythons, "root": root}
    failed = 0
    for expr in sys.argv[2:]:
        try:
            ok = eval(expr, env)
        except Exception as e:  # a missing key is a failed expectation
            ok = False
            print("error in %s: %r" % (expr, e), file=sys.stderr)
        if not ok:
            failed += 1
            print("FAILED: " + expr, file=sys.stderr)
    if failed:
        summary = {k: p.get(k) for k in ("mode", "exit", "notes", "recommendation") if k in p}
        print("profile summary: " + json.dumps(summary)[:2000], file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
