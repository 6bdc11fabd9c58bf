# Lints this corpus itself, without threadwise: every case has a racy RUN line, a -DFIXED
# RUN line, and each primary-warning CHECK names a line that exists in the racy variant, is
# a write of the named variable, and (when a column is asserted) starts at that column. This
# catches [[@LINE-N]] offsets that went stale when someone edited a case.
# RUN: %python %s %S/race
import os
import re
import sys

WARN = re.compile(
    r"CHECK(?:-DAG)?:\s*(?:/(?P<part>[\w.-]+):(?P<lit>\d+)|:\[\[@LINE(?P<off>[+-]\d+)?\]\])"
    r":(?P<col>\d+|\{\{\[0-9\]\+\}\}): warning: unprotected write to shared variable "
    r"'(?P<name>[^']+)' races with a concurrent (read|write|\{\{read\|write\}\}) "
    r"\[threadwise-race-unprotected-write\]")


def racy_lines(lines):
    """Marks which lines survive the preprocessor when FIXED is not defined."""
    active, stack = [], []
    for line in lines:
        m = re.match(r"\s*#\s*(ifdef|ifndef|if|elif|else|endif)\b\s*(\S*)", line)
        if not m:
            active.append(all(stack))
            continue
        kind, arg = m.groups()
        if kind in ("ifdef", "ifndef", "if"):
            stack.append(kind == "ifndef" if arg == "FIXED" else True)
        elif kind == "else":
            stack[-1] = not stack[-1]
        elif kind == "endif":
            stack.pop()
        active.append(False)
    return active


def split_parts(text):
    parts, name = {}, None
    for line in text.split("\n"):
        m = re.match(r"(?://|#)--- (\S+)$", line)
        if m:
            name = m.group(1)
            parts[name] = []
        elif name:
            parts[name].append(line)
    return parts


def lint(path):
    problems = []
    text = open(path).read()
    lines = text.split("\n")
    runs = [l for l in lines if "RUN" + ":" in l]
    if not any("not %threadwise" in r and "FileCheck" in r for r in runs):
        problems.append("no racy RUN line")
    if not any("-DFIXED" in r and "count 0" in r for r in runs):
        problems.append("no -DFIXED RUN line piped to `count 0`")
    parts = split_parts(text) if path.endswith(".test") else {}
    warnings = 0
    for n, line in enumerate(lines, 1):
        if "CHECK" not in line or "warning:" not in line or "implicit-check-not" in line:
            continue
        m = WARN.search(line)
        if not m:
            problems.append(f"line {n}: malformed warning CHECK")
            continue
        warnings += 1
        if m.group("part"):
            src = parts.get(m.group("part"))
            if src is None:
                problems.append(f"line {n}: no split-file part {m.group('part')}")
                continue
            target = int(m.group("lit"))
        else:
            src, target = lines, n + int(m.group("off") or 0)
        if not 1 <= target <= len(src):
            problems.append(f"line {n}: target line {target} does not exist")
            continue
        code = src[target - 1]
        if not racy_lines(src)[target - 1]:
            problems.append(f"line {n}: target line {target} is not in the racy variant")
        if m.group("name").split("::")[-1] not in code:
            problems.append(f"line {n}: target line {target} does not mention {m.group('name')}")
        col = m.group("col")
        if col.isdigit() and int(col) != len(code) - len(code.lstrip()) + 1:
            problems.append(f"line {n}: column {col} is not where line {target} starts")
    if warnings == 0:
        problems.append("no warning CHECK line")
    return problems


def main():
    bad = cases = 0
    for dirpath, _, names in sorted(os.walk(sys.argv[1])):
        for name in sorted(names):
            if not name.endswith((".c", ".cpp", ".test")):
                continue
            cases += 1
            path = os.path.join(dirpath, name)
            for p in lint(path):
                bad += 1
                print(f"{path}: {p}")
    print(f"{cases} cases, {bad} problems")
    if cases == 0:
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
