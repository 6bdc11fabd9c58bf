#!/usr/bin/env python3
"""Writes threadwise.1 (troff) from the command's own --help, so the man page
never disagrees with the help text.  Usage: make-manpage.py THREADWISE VERSION OUT"""
import os
import re
import subprocess
import sys


def esc(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text.startswith((".", "'")) else text


def help_text(exe, *args):
    out = subprocess.run([exe, *args, "--help"], capture_output=True, text=True)
    return out.stdout


def section(lines, out):
    """LLVM's help: 'HEADING:' lines, '  --opt=<x> - text' options, free text."""
    for line in lines:
        if not line.strip():
            continue
        heading = re.match(r"^([A-Z][A-Za-z ]*):\s*$", line)
        if heading:
            out.append(".SS " + esc(heading.group(1)))
            continue
        sub = re.match(r"^[a-z].*options:$", line)
        if sub:
            out.append(".SS " + esc(line[:-1]))
            continue
        opt = re.match(r"^\s{2,}(-\S.*?)\s+- (.*)$", line)
        if opt:
            out.append(".TP\n.B " + esc(opt.group(1).strip()) + "\n" + esc(opt.group(2)))
            continue
        cont = re.match(r"^\s{10,}(\S.*)$", line)
        if cont and out and not out[-1].startswith(".SS"):
            out[-1] += "\n" + esc(cont.group(1))
            continue
        out.append(".br\n" + esc(line.strip()))


def main():
    exe, version, dest = sys.argv[1:4]
    out = [
        '.TH THREADWISE 1 "" "threadwise %s" "User Commands"' % version,
        ".SH NAME",
        "threadwise \\- find data races and CPU work serialized on threads",
        ".SH SYNOPSIS",
        ".B threadwise check",
        "[options] [files...] [\\-\\- compiler flags]",
        ".br",
        ".B threadwise profile",
        "[options] \\-\\- command [args...]",
        ".br",
        ".B threadwise report",
        "[options] profile",
        ".SH DESCRIPTION",
    ]
    section(help_text(exe).splitlines()[1:], out)
    for cmd in ["check", "profile", "report"]:
        text = help_text(exe, cmd)
        if not text:
            continue
        out.append(".SH \"THREADWISE " + cmd.upper() + "\"")
        section([l for l in text.splitlines() if not l.startswith(("OVERVIEW", "USAGE"))], out)
    out += [".SH SEE ALSO", "clang\\-tidy(1), /usr/share/doc/threadwise/usage.md"]
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest + ".tmp", "w") as f:
        f.write("\n".join(out) + "\n")
    os.replace(dest + ".tmp", dest)


if __name__ == "__main__":
    main()
