"""Writes <dir>/compile_commands.json with one entry per source file.

usage: make-compdb.py <dir> [--flag=<compiler flag>]... <source>...
Entries use "arguments" and the Debian clang++, like a CMake build would.
"""
import json
import os
import sys

out_dir = sys.argv[1]
flags = [a[len("--flag="):] for a in sys.argv[2:] if a.startswith("--flag=")]
sources = [os.path.abspath(a) for a in sys.argv[2:] if not a.startswith("--flag=")]
os.makedirs(out_dir, exist_ok=True)
entries = [{
    "directory": os.path.abspath(out_dir),
    "arguments": ["clang++-19", "-std=c++17"] + flags + ["-c", src, "-o",
                  os.path.basename(src) + ".o"],
    "file": src,
} for src in sources]
with open(os.path.join(out_dir, "compile_commands.json"), "w") as f:
    json.dump(entries, f, indent=2)
