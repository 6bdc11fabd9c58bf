"""Imports both builds of spin (spin_gil, spin_fixed) from argv[1] and runs
spin(n) of each on 2 threads.

Prints, per build, the CPU/wall ratio of the run (about 1.0 when the GIL
serializes the threads, about 2.0 on two free cores when they run in parallel;
informational: on a loaded machine the ratio drops, so tests do not assert it)
and whether a third, pure-Python thread made progress while both spin() calls
were inside C code. That needs the GIL, so it progresses only when spin()
releases it: the load-independent form of "these threads can run in parallel".
"""
import importlib, sys, threading, time

def run(mod, n):
    inside = [0]
    lock = threading.Lock()
    progress = [0]
    done = threading.Event()

    def spinner():
        with lock:
            inside[0] += 1
        mod.spin(n)
        with lock:
            inside[0] -= 1

    def counter():
        while not done.is_set():
            if inside[0] == 2:       # both threads are inside spin()
                progress[0] += 1
            time.sleep(0)

    c = threading.Thread(target=counter)
    c.start()
    ts = [threading.Thread(target=spinner) for _ in range(2)]
    c0, w0 = time.process_time(), time.perf_counter()
    for t in ts: t.start()
    for t in ts: t.join()
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    done.set()
    c.join()
    return cpu / wall, progress[0]

sys.path.insert(0, sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000_000
for name in ("spin_gil", "spin_fixed"):
    ratio, progress = run(importlib.import_module(name), n)
    # A few steps can slip in while one call enters or leaves spin().
    verdict = "parallel" if progress > 50 else "serial"
    print(f"{name}: {verdict} (cpu/wall {ratio:.2f}, other-thread steps {progress})", flush=True)
