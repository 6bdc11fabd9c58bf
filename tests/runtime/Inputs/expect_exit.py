"""expect_exit.py CODE CMD ARGS...: run CMD (stdio passed through) and fail
unless it exits with exactly CODE. lit's `not` only knows zero/non-zero."""
import subprocess
import sys

want = int(sys.argv[1])
got = subprocess.call(sys.argv[2:])
if got != want:
    sys.exit("expected exit status %d, got %d: %s" % (want, got, " ".join(sys.argv[2:])))
