"""attach_run.py [--interrupt] [--as-nobody] -- TARGET ARGS... -- THREADWISE ARGS...

Starts TARGET, waits until it has started its threads (at least --threads,
default 5), then runs THREADWISE with every "@PID" argument replaced by the
target's pid: `threadwise profile --pid @PID ...`. Afterwards the target must
still be running (not exited, not stopped): that is what detaching cleanly
means. The target is always killed at the end, whatever happens, so a test
never leaves a process behind. Exits with threadwise's status, or 1 when the
target did not survive.

--interrupt: threadwise runs without --duration in its own process group and
gets SIGINT (a terminal's Ctrl-C) once it has sampled for a while.
--as-nobody: threadwise runs as user nobody (a process of another user).
--ends: the target ends by itself while attached (no survival check).
--both-nobody: the target runs as nobody too (the same user as threadwise)."""
import os
import signal
import subprocess
import sys
import time


def state(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def threads(pid):
    try:
        return len(os.listdir("/proc/%d/task" % pid))
    except OSError:
        return 0


def main():
    args = sys.argv[1:]
    opts = set()
    while args and args[0] != "--":
        opts.add(args.pop(0))
    want_threads = 5
    for o in list(opts):
        if o.startswith("--threads="):
            want_threads = int(o.split("=", 1)[1])
    rest = args[1:]
    split = rest.index("--")
    target_cmd, tw_cmd = rest[:split], rest[split + 1:]
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if "--both-nobody" in opts:
        target_cmd = nobody + target_cmd
    target = subprocess.Popen(target_cmd, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    tw = None

    def cleanup(*_):
        for p in (tw, target):
            if p and p.poll() is None:
                p.kill()
                p.wait()

    signal.signal(signal.SIGTERM, lambda *_: (cleanup(), sys.exit(1)))
    try:
        # Readiness, not timing: the threads exist (Python needs a moment).
        deadline = time.monotonic() + 60
        while threads(target.pid) < want_threads and target.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        if target.poll() is not None:
            sys.exit("attach_run: the target exited early (status %d)" % target.returncode)
        cmd = [str(target.pid) if a == "@PID" else a for a in tw_cmd]
        if "--as-nobody" in opts or "--both-nobody" in opts:
            cmd = nobody + cmd
        tw = subprocess.Popen(cmd, start_new_session="--interrupt" in opts)
        if "--interrupt" in opts:
            time.sleep(1.5)
            os.killpg(tw.pid, signal.SIGINT)
        code = tw.wait()
        if "--ends" in opts:
            return code
        st = state(target.pid)
        if target.poll() is not None or st in ("Z", "X", "T", "t", "gone"):
            print("attach_run: the target did not survive (state %s)" % st)
            return 1
        print("attach_run: target still running after detach (state %s)" % st)
        return code
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
