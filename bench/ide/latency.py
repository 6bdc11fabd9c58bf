"""Latency from didChange to diagnostics: clangd alone vs clangd behind threadwise-clangd.

For each edit the buffer gets a fresh racy snippet (a new variable name), so the proxy's
"merged" publish is recognisable: it carries clangd's diagnostics for the new version AND a
threadwise finding naming the new variable. clangd alone is timed to its publish for the new
version. Sessions alternate (clangd, proxy, clangd, proxy, ...) so machine load hits both.
"""
import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "e2e", "Inputs", "ide"))
import lsp_client as lc  # noqa: E402

TIMEOUT = 600


def snippet(i, c=False):
    if c:
        return ("\n#include <pthread.h>\n"
                "int tw_bench_counter_%d;\n"
                "static void *tw_bench_worker_%d(void *arg) { tw_bench_counter_%d++; return arg; }\n"
                "void tw_bench_spawn_%d(void) {\n"
                "  pthread_t a, b;\n"
                "  pthread_create(&a, 0, tw_bench_worker_%d, 0);\n"
                "  pthread_create(&b, 0, tw_bench_worker_%d, 0);\n"
                "  pthread_join(a, 0);\n  pthread_join(b, 0);\n}\n") % ((i,) * 6)
    return ("\n#include <thread>\n"
            "int tw_bench_counter_%d;\n"
            "void tw_bench_worker_%d() { tw_bench_counter_%d++; }\n"
            "void tw_bench_spawn_%d() {\n"
            "  std::thread a(tw_bench_worker_%d), b(tw_bench_worker_%d);\n"
            "  a.join();\n  b.join();\n}\n") % ((i,) * 6)


def session(argv, path, text, edits, proxy, log):
    c = path.endswith(".c")
    s = lc.Session(argv, log, cwd=os.path.dirname(path))
    s.initialize(os.path.dirname(path), TIMEOUT)
    uri = lc.file_uri(path)

    def done(version, i):
        def pred(m):
            if not lc.publish_for(uri)(m) or m["params"].get("version") != version:
                return False
            if not proxy:
                return True
            tw, _ = lc.split_diagnostics(m)
            return any("tw_bench_counter_%d" % i in d["message"] for d in tw)
        return pred

    s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "c" if c else "cpp",
                                                       "version": 1, "text": text + snippet(0, c)}})
    t0 = time.monotonic()
    first = s.wait_for(done(1, 0), TIMEOUT, "the first diagnostics")["_received"] - t0
    times = []
    for i in range(1, edits + 1):
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": i + 1},
                                            "contentChanges": [{"text": text + snippet(i, c)}]})
        t0 = time.monotonic()
        times.append(s.wait_for(done(i + 1, i), TIMEOUT, "diagnostics for edit %d" % i)["_received"] - t0)
    rid = s.request("shutdown", None)
    s.response(rid, TIMEOUT)
    s.notify("exit", None)
    s.wait_exit(30)
    return first, times


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proxy", required=True)
    ap.add_argument("--clangd", default="clangd-19")
    ap.add_argument("--compile-commands-dir", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--out", default=".")
    args = ap.parse_args()
    path = os.path.abspath(args.file)
    text = open(path).read()
    common = ["--compile-commands-dir=" + os.path.abspath(args.compile_commands_dir),
              "--background-index=false"]
    results = {"clangd": ([], []), "proxy": ([], [])}
    for r in range(args.rounds):
        for mode in ("clangd", "proxy"):
            argv = ([args.clangd] if mode == "clangd" else
                    [args.proxy, "--clangd=" + args.clangd]) + common
            first, times = session(argv, path, text, args.edits, mode == "proxy",
                                   os.path.join(args.out, "ide-latency-%s-%d.log" % (mode, r)))
            results[mode][0].append(first)
            results[mode][1].extend(times)
            print("round %d %-6s open %.2fs, edits %s" % (
                r + 1, mode, first, " ".join("%.2f" % t for t in times)), flush=True)
    c, p = statistics.median(results["clangd"][1]), statistics.median(results["proxy"][1])
    co, po = statistics.median(results["clangd"][0]), statistics.median(results["proxy"][0])
    print()
    print("file: %s (%d lines)" % (path, text.count("\n")))
    print("%-28s %10s %10s %8s" % ("median latency", "clangd", "proxy", "ratio"))
    print("%-28s %9.2fs %9.2fs %7.2fx" % ("didOpen -> diagnostics", co, po, po / co))
    print("%-28s %9.2fs %9.2fs %7.2fx" % ("didChange -> diagnostics", c, p, p / c))
    print("target: didChange ratio <= 1.30: %s" % ("met" if p / c <= 1.30 else "NOT met"))


if __name__ == "__main__":
    main()
