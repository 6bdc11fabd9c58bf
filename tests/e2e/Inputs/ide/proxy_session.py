"""Drives threadwise-clangd over stdio against the real clangd-19.

  proxy_session.py --proxy BIN --dir TMPDIR SCENARIO

Scenarios: race (merged diagnostics, didChange, clean shutdown), crosstu (a race whose
thread is spawned in a file that is not open), kill-clangd, malformed-json, malformed-header,
broken-file. Prints one line per observation (for FileCheck) and exits 1 with
"FAIL: ..." on the first broken expectation.
"""
import argparse
import json
import os
import shutil
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lsp_client as lc  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SLOW = 180  # seconds: a parse of <thread> on a loaded 2-core machine, with margin
QUICK = 15  # seconds: for the proxy to notice a broken session


def fail(msg, session=None):
    print("FAIL: " + msg)
    if session is not None:
        print("--- proxy stderr ---\n" + session.stderr_text())
    sys.exit(1)


def setup(tmp, source):
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    path = os.path.join(tmp, "main.cpp")
    shutil.copy(source, path)
    with open(os.path.join(tmp, "compile_commands.json"), "w") as f:
        json.dump([{"directory": tmp, "file": path,
                    "arguments": ["clang++", "-std=c++17", "-Wall", "-c", "main.cpp"]}], f)
    return path


def start(args, tmp, extra=("--background-index=false",)):
    s = lc.Session([args.proxy, "--clangd=clangd-19", "--threadwise-debounce-ms=50"] + list(extra),
                   os.path.join(tmp, "proxy.stderr"), cwd=tmp)
    s.initialize(tmp, SLOW)
    kids = lc.child_pids(s.proc.pid)
    if len(kids) != 1:
        fail("expected one clangd child, found %r" % kids, s)
    return s, kids[0]


def open_doc(s, path, text):
    uri = lc.file_uri(path)
    s.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri, "languageId": "cpp", "version": 1, "text": text}})
    return uri


def show(d):
    r = d["range"]["start"]
    return "%s %s %d:%d" % (d.get("source"), d.get("code"), r["line"] + 1, r["character"] + 1)


def scenario_race(args, tmp):
    path = setup(tmp, os.path.join(HERE, "race.cpp"))
    text = open(path).read()
    s, clangd = start(args, tmp)
    uri = open_doc(s, path, text)

    def merged(m):
        if not lc.publish_for(uri)(m):
            return False
        tw, other = lc.split_diagnostics(m)
        return tw and any(d.get("code") == "-Wunused-variable" for d in other)
    try:
        msg = s.wait_for(merged, SLOW, "one publishDiagnostics with clangd's and threadwise's")
    except lc.LspError as e:
        fail(str(e), s)
    tw, other = lc.split_diagnostics(msg)
    for d in other + tw:
        print("MERGED " + show(d))
    race = tw[0]
    print("HREF " + race["codeDescription"]["href"])
    print("SEVERITY %d" % race["severity"])
    for r in race.get("relatedInformation", []):
        loc = r["location"]
        print("RELATED %s:%d: %s" % (loc["uri"].rsplit("/", 1)[-1],
                                     loc["range"]["start"]["line"] + 1, r["message"]))

    # Code actions: clangd's answer passes through (merged with threadwise's quick-fixes).
    rid = s.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": race["range"],
                                                "context": {"diagnostics": [race]}})
    resp = s.response(rid, SLOW)
    if "result" not in resp:
        fail("codeAction response without result: %r" % resp, s)
    print("CODEACTION ok")

    # The fix as an incremental edit: take the lock before the write.
    line = text.splitlines().index("  counter++;")
    s.notify("textDocument/didChange", {
        "textDocument": {"uri": uri, "version": 2},
        "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                      "end": {"line": line, "character": 0}},
                            "text": "  std::lock_guard<std::mutex> g(m);\n"}]})

    def fixed(m):
        if not lc.publish_for(uri)(m):
            return False
        tw, other = lc.split_diagnostics(m)
        return not tw and any(d.get("code") == "-Wunused-variable" for d in other)
    try:
        msg = s.wait_for(fixed, SLOW, "a publishDiagnostics without threadwise's after the fix")
    except lc.LspError as e:
        fail(str(e), s)
    print("FIXED " + " ".join(show(d) for d in msg["params"]["diagnostics"]))
    # The edit left the #includes alone: the preamble built on open was reused.
    print("ANALYSED " + analysed(s)[-1])

    # Back to the racy text, as a full-text change: the finding returns.
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 3},
                                        "contentChanges": [{"text": text}]})
    try:
        msg = s.wait_for(lambda m: lc.publish_for(uri)(m) and lc.split_diagnostics(m)[0], SLOW,
                         "the race again")
    except lc.LspError as e:
        fail(str(e), s)
    print("AGAIN " + show(lc.split_diagnostics(msg)[0][0]))

    # A new #include changes the preamble: that run parses in full while the new preamble
    # is built in the background; a later edit uses it.
    version = 4
    text = "#include <vector>\n" + text
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                        "contentChanges": [{"text": text}]})
    try:
        msg = s.wait_for(lambda m: lc.publish_for(uri)(m) and any(
            d["range"]["start"]["line"] == 10 for d in lc.split_diagnostics(m)[0]), SLOW,
            "the race one line lower")
    except lc.LspError as e:
        fail(str(e), s)
    print("INCLUDED " + show(lc.split_diagnostics(msg)[0][0]) + ", " + analysed(s)[-1])
    deadline = time.monotonic() + SLOW
    while "preamble reused" not in analysed(s)[-1]:
        if time.monotonic() > deadline:
            fail("the new preamble was never used", s)
        version += 1
        count = len(analysed(s))
        text += "\n"
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                            "contentChanges": [{"text": text}]})
        while len(analysed(s)) == count and time.monotonic() < deadline:
            time.sleep(0.2)
    print("REBUILT " + analysed(s)[-1])

    shut_down(s)
    if not lc.process_gone(clangd, QUICK):
        fail("clangd (pid %d) outlived the proxy" % clangd, s)
    print("CLANGD gone")


def shut_down(s):
    """The editor's clean shutdown: shutdown request, exit notification, and the
    proxy's exit status printed as "EXIT <code>"."""
    rid = s.request("shutdown", None)
    s.response(rid, SLOW)
    s.notify("exit", None)
    print("EXIT %d" % s.wait_exit(QUICK))


def logged(s, needle, sep, maxsplit):
    """Prints "LOGGED <tail>" for each proxy log line holding needle."""
    for line in s.stderr_text().splitlines():
        if needle in line:
            print("LOGGED " + line.split(sep, maxsplit)[-1])


def analysed(s):
    """The proxy's log lines about its analyses, without the timing."""
    import re
    return [re.sub(r" in [0-9.]+ s", "", line[len("threadwise-clangd: analysed "):])
            for line in s.stderr_text().splitlines()
            if line.startswith("threadwise-clangd: analysed ")]


def scenario_crosstu(args, tmp):
    """job.cpp alone has no threads; spawn.cpp (never opened) starts two that run its
    run_job(). The proxy's background index links them; the fix in the unsaved buffer of
    job.cpp removes the finding."""
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    entries = []
    for name in ("spawn.cpp", "job.cpp"):
        shutil.copy(os.path.join(HERE, "crosstu", name), os.path.join(tmp, name))
        entries.append({"directory": tmp, "file": os.path.join(tmp, name),
                        "arguments": ["clang++", "-std=c++17", "-c", name]})
    with open(os.path.join(tmp, "compile_commands.json"), "w") as f:
        json.dump(entries, f)
    path = os.path.join(tmp, "job.cpp")
    text = open(path).read()
    # Normal priority: at clangd's default (low: SCHED_IDLE on Linux) a loaded machine may
    # never run the index.
    s, clangd = start(args, tmp, extra=("--background-index", "--background-index-priority=normal"))
    uri = open_doc(s, path, text)
    try:
        msg = s.wait_for(lambda m: lc.publish_for(uri)(m) and lc.split_diagnostics(m)[0], SLOW,
                         "the cross-TU race in job.cpp")
    except lc.LspError as e:
        fail(str(e), s)
    race = lc.split_diagnostics(msg)[0][0]
    print("CROSSTU " + show(race))
    for r in race.get("relatedInformation", []):
        loc = r["location"]
        print("RELATED %s:%d: %s" % (loc["uri"].rsplit("/", 1)[-1],
                                     loc["range"]["start"]["line"] + 1, r["message"]))
    s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                        "contentChanges": [{"text": text.replace(
                                            "  jobs_done++;",
                                            "  std::lock_guard<std::mutex> g(m);\n  jobs_done++;")}]})
    try:
        s.wait_for(lambda m: lc.publish_for(uri)(m) and m["params"].get("version") == 2
                   and not lc.split_diagnostics(m)[0], SLOW, "no race after the fix")
    except lc.LspError as e:
        fail(str(e), s)
    print("FIXED no threadwise diagnostics")
    shut_down(s)
    logged(s, "threadwise-clangd: indexed", ": ", 1)
    print("ANALYSED " + analysed(s)[-1])


def expect_broken_session(s, clangd, what):
    try:
        code = s.wait_exit(QUICK)
    except lc.LspError as e:
        fail("%s: %s" % (what, e), s)
    print("EXIT %d" % code)
    if not lc.process_gone(clangd, QUICK):
        fail("clangd (pid %d) outlived the proxy" % clangd, s)
    print("CLANGD gone")
    for line in s.stderr_text().splitlines():
        if line.startswith("threadwise-clangd: error"):
            print(line)


def scenario_kill_clangd(args, tmp):
    path = setup(tmp, os.path.join(HERE, "race.cpp"))
    s, clangd = start(args, tmp)
    open_doc(s, path, open(path).read())
    os.kill(clangd, signal.SIGKILL)
    expect_broken_session(s, clangd, "after clangd was killed")


def scenario_malformed(args, tmp, data):
    path = setup(tmp, os.path.join(HERE, "race.cpp"))
    s, clangd = start(args, tmp)
    open_doc(s, path, open(path).read())
    s.send_raw(data)
    expect_broken_session(s, clangd, "after malformed input")


def scenario_broken_file(args, tmp):
    """threadwise cannot analyse the file; clangd's diagnostics still flow."""
    path = setup(tmp, os.path.join(HERE, "broken.cpp"))
    s, clangd = start(args, tmp)
    uri = open_doc(s, path, open(path).read())
    try:
        msg = s.wait_for(lambda m: lc.publish_for(uri)(m) and m["params"]["diagnostics"], SLOW,
                         "clangd's error")
    except lc.LspError as e:
        fail(str(e), s)
    for d in msg["params"]["diagnostics"]:
        print("BROKEN " + show(d))
    time.sleep(1)  # let the debounced analysis fail, and the proxy log it
    shut_down(s)
    logged(s, "threadwise diagnostics not updated", ": ", 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--proxy", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("scenario")
    args = ap.parse_args()
    tmp = os.path.abspath(args.dir)
    args.proxy = os.path.abspath(args.proxy)
    if args.scenario == "race":
        scenario_race(args, tmp)
    elif args.scenario == "crosstu":
        scenario_crosstu(args, tmp)
    elif args.scenario == "kill-clangd":
        scenario_kill_clangd(args, tmp)
    elif args.scenario == "malformed-json":
        scenario_malformed(args, tmp, b"Content-Length: 5\r\n\r\n{oops")
    elif args.scenario == "malformed-header":
        scenario_malformed(args, tmp, b"this is not a header\r\n\r\n")
    elif args.scenario == "broken-file":
        scenario_broken_file(args, tmp)
    else:
        fail("unknown scenario " + args.scenario)


if __name__ == "__main__":
    main()
