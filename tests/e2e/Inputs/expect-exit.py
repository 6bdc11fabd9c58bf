"""Runs a command and fails unless it exits with the expected code.

usage: expect-exit.py <code>[,<code>...] <command> [<arg>...]
stdout and stderr pass through, so the output can still be FileChecked.
"""
import subprocess
import sys

expected = [int(c) for c in sys.argv[1].split(",")]
proc = subprocess.run(sys.argv[2:])
if proc.returncode not in expected:
    sys.stderr.write("expect-exit: %r exited with %d, expected %s\n"
                     % (sys.argv[2:], proc.returncode, expected))
    sys.exit(1)
