"""send_signal.py SIG CODE CMD...: start CMD (threadwise profile -- ...), wait
until it has started its child, send SIG to threadwise, and expect exit status
CODE (128+SIG when the signal was forwarded to the profiled command and killed
it)."""
import os
import signal
import subprocess
import sys
import time


def has_child(pid):
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        # The child exists and has exec'ed (its name is no longer threadwise's).
        if int(fields[1]) == pid and "threadwise" not in stat[:stat.rfind(")")]:
            return True
    return False


sig = getattr(signal, sys.argv[1])
want = int(sys.argv[2])
# Undo an inherited "ignore SIGINT" (lit, background jobs): the command must
# see the signal as it would in a terminal.
proc = subprocess.Popen(sys.argv[3:],
                        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
deadline = time.time() + 60
while not has_child(proc.pid) and time.time() < deadline and proc.poll() is None:
    time.sleep(0.05)
# threadwise installs its forwarding before it lets the child exec.
proc.send_signal(sig)
try:
    got = proc.wait(timeout=60)
except subprocess.TimeoutExpired:
    proc.kill()
    sys.exit("the signal was not forwarded: the command kept running")
if got != want:
    sys.exit("expected exit status %d, got %d" % (want, got))
