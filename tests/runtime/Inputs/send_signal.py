"""send_signal.py SIG CODE CMD...: start CMD, send SIG to it once it has had
time to start its child, and expect exit status CODE (128+SIG when the signal
was forwarded to the profiled command and killed it)."""
import signal
import subprocess
import sys
import time

sig = getattr(signal, sys.argv[1])
want = int(sys.argv[2])
# Undo an inherited "ignore SIGINT" (lit, background jobs): the command must
# see the signal as it would in a terminal.
proc = subprocess.Popen(sys.argv[3:],
                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
time.sleep(1.0)
proc.send_signal(sig)
try:
    got = proc.wait(timeout=60)
except subprocess.TimeoutExpired:
    proc.kill()
    sys.exit("the signal was not forwarded: the command kept running")
if got != want:
    sys.exit("expected exit status %d, got %d" % (want, got))
