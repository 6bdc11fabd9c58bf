#!/usr/bin/env python3
"""Runs every entry of a compile_commands.json with clang-19 -fsyntax-only.

This is the baseline `threadwise check -p` is measured against: the same TUs (the first
command of each file, as threadwise takes it), the same flags per TU (minus output and dependency-file flags, which LibTooling drops too), the same number
of TUs in flight. Exit status: 0 when every TU parsed, 1 otherwise (failures on stderr).

    syntax_only.py [-j N] [--clang clang-19] [--clangxx clang++-19] compile_commands.json
"""
import argparse
import concurrent.futures
import json
import os
import shlex
import subprocess
import sys

# Flags that only matter when an object or a depfile is written; each *_WITH_VALUE flag
# consumes the next argument.
DROP = {"-c", "-MD", "-MMD", "-MP", "-M", "-MM"}
DROP_WITH_VALUE = {"-o", "-MF", "-MT", "-MQ"}


def entry_arguments(entry):
    if "arguments" in entry:
        return list(entry["arguments"])
    return shlex.split(entry["command"])


def syntax_only_command(entry, clang, clangxx):
    args = entry_arguments(entry)
    driver = clangxx if "++" in os.path.basename(args[0]) else clang
    out = [driver, "-fsyntax-only"]
    skip_next = False
    for arg in args[1:]:
        if skip_next:
            skip_next = False
            continue
        if arg in DROP:
            continue
        if arg in DROP_WITH_VALUE:
            skip_next = True
            continue
        if any(arg.startswith(f) and len(arg) > len(f) for f in ("-o", "-MF", "-MT", "-MQ")):
            continue
        out.append(arg)
    return out


def first_command_per_file(entries):
    """One entry per source file, the first, as `threadwise check -p` analyses each file
    once (leveldb's DB lists memenv.cc for two targets)."""
    seen, out = set(), []
    for e in entries:
        path = os.path.normpath(os.path.join(e["directory"], e["file"]))
        if path not in seen:
            seen.add(path)
            out.append(e)
    return out


def run_one(entry, clang, clangxx):
    cmd = syntax_only_command(entry, clang, clangxx)
    proc = subprocess.run(cmd, cwd=entry["directory"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    return entry["file"], proc.returncode, proc.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", type=int, default=os.cpu_count())
    parser.add_argument("--clang", default="clang-19")
    parser.add_argument("--clangxx", default="clang++-19")
    parser.add_argument("compile_commands")
    opts = parser.parse_args()
    with open(opts.compile_commands) as f:
        entries = first_command_per_file(json.load(f))
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.j) as pool:
        jobs = [pool.submit(run_one, e, opts.clang, opts.clangxx) for e in entries]
        for job in jobs:
            path, code, err = job.result()
            if code != 0:
                failed += 1
                sys.stderr.write(f"syntax_only: {path}: exit {code}\n{err}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
