"""Imports both builds of spin (spin_gil, spin_fixed) from argv[1] and runs
spin(n) of each on 2 Python threads, measuring the process's CPU time
(os.times: user + system, all threads) against the wall time of the run.

Two threads that really run in parallel burn more CPU time than wall time
passes (about 2x on two free cores); threads serialized by the GIL cannot
(about 1x). A build counts as "parallel" when CPU/wall reaches 1.3, far from
both. Other processes on the machine take cores away and lower the ratio of
both builds, so each build gets several attempts (interleaved) and its best
ratio counts: a GIL-bound build can never exceed ~1x, whatever the load.

When even the best attempt of the fixed build stays below 1.3, the script
checks whether the machine could have shown parallelism at all: two separate
processes running spin_gil (one GIL each) are timed the same way. If they
cannot reach 1.3 either (Linux shares the cores fairly between sessions, so a
busy machine may give this one a single core), the fixed build's verdict is
"inconclusive" rather than "serial": the measurement could not tell.

    python3 parallel.py <dir-with-both-.so> [n] [attempts]
"""
import importlib, os, sys, threading, time

PARALLEL = 1.3


def cpu_seconds():
    t = os.times()
    return t.user + t.system


def ratio(mod, n):
    ts = [threading.Thread(target=mod.spin, args=(n,)) for _ in range(2)]
    c0, w0 = cpu_seconds(), time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return (cpu_seconds() - c0) / (time.perf_counter() - w0)


sys.path.insert(0, sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 500_000_000
attempts = int(sys.argv[3]) if len(sys.argv) > 3 else 6
mods = {name: importlib.import_module(name) for name in ("spin_gil", "spin_fixed")}
best = {name: 0.0 for name in mods}
runs = {name: [] for name in mods}
for _ in range(attempts):
    for name, mod in mods.items():
        r = ratio(mod, n)
        runs[name].append(r)
        best[name] = max(best[name], r)
    if best["spin_fixed"] >= PARALLEL:
        break


def capacity(n):
    """CPU/wall of two processes spinning at once: what this machine allows now."""
    w0 = time.perf_counter()
    pids = []
    for _ in range(2):
        pid = os.fork()
        if pid == 0:
            mods["spin_gil"].spin(n)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    t = os.times()
    return (t.children_user + t.children_system) / (time.perf_counter() - w0)


for name in mods:
    verdict = "parallel" if best[name] >= PARALLEL else "serial"
    if name == "spin_fixed" and verdict == "serial":
        cap = capacity(n)
        if cap < PARALLEL:
            verdict = f"inconclusive (machine busy: two processes reach only CPU/wall {cap:.2f})"
    shown = " ".join(f"{r:.2f}" for r in runs[name])
    print(f"{name}: {verdict} (CPU/wall best {best[name]:.2f}; runs: {shown})", flush=True)
