#!/usr/bin/env python3
"""Writes the hand-made merged profiles (threadwise-profile version 1) that the
report-*.test lit tests feed to `threadwise report`. Each models one case of
the seed article or of native code, with its signal far from any threshold.
Deterministic: rerun after changing it and commit the JSON files.

    python3 tests/runtime/Inputs/make_profiles.py tests/runtime/Inputs
"""
import json
import os
import sys

MS = 1_000_000
WALL = 2000 * MS
SAMPLE = 10 * MS


def thread(tid, name, start=0, end=WALL, user=0, sys_=0, run_delay=0, lock=0,
           io=0, sleep=0, cond=0, gil=0, gil_waits=0, gil_drops=0,
           intervals=(), samples=None):
    if samples is None:  # evenly spread CPU and run delay
        samples = []
        t = start + SAMPLE
        while t < end:
            f = (t - start) / (end - start)
            samples.append([t, int((user + sys_) * f), int(run_delay * f)])
            t += SAMPLE
    return {"tid": tid, "name": name, "start_ns": start, "end_ns": end,
            "user_ns": user, "sys_ns": sys_, "run_delay_ns": run_delay,
            "voluntary_cs": len(intervals), "involuntary_cs": 0,
            "lock_wait_ns": lock, "io_wait_ns": io, "sleep_ns": sleep,
            "cond_wait_ns": cond, "gil_wait_ns": gil, "gil_waits": gil_waits,
            "gil_drops": gil_drops, "intervals": list(intervals),
            "samples": samples}


def process(pid, exe, argv, threads, ppid=0, python=None, spawn=0,
            start=0, end=WALL):
    return {"pid": pid, "ppid": ppid, "exe": exe, "argv": argv,
            "start_ns": start, "end_ns": end, "exit": {"code": 0, "signal": 0},
            "python": python, "spawn_ns": spawn, "threads": threads}


def profile(command, processes, sites=(), mode="preload", wall=WALL):
    return {"format": "threadwise-profile", "version": 1, "command": command,
            "start_ns": 0, "end_ns": wall, "wall_ns": wall,
            "exit": {"code": 0, "signal": 0},
            "machine": {"cores": 2, "kernel": "6.1.0-test", "hostname": "ci"},
            "mode": mode,
            "events": {"available": [
                {"name": "task-clock", "value": 4_000_000_000, "scaled": False},
                {"name": "context-switches", "value": 1234, "scaled": False}],
                "unavailable": [
                {"name": "cycles", "reason": "ENOENT: no hardware PMU"},
                {"name": "instructions", "reason": "ENOENT: no hardware PMU"}]},
            "processes": processes, "sites": list(sites)}


PY311 = {"version": "3.11.2", "free_threaded": False, "shared_libpython": False}


def round_robin(n, slot, kind, site, wall=WALL):
    """n threads take turns running one slot each (one lock or the GIL);
    while one runs the others wait. Returns per-thread (intervals, samples)."""
    out = []
    for k in range(n):
        ivs, samples, cpu = [], [], 0
        t = 0
        while t < wall:
            owner = (t // slot) % n
            if owner == k:
                cpu += slot
            else:
                if ivs and ivs[-1][1] == t:
                    ivs[-1][1] = t + slot
                else:
                    ivs.append([t, t + slot, kind, site])
            t += slot
            if t % SAMPLE == 0:
                samples.append([t, cpu, 0])
        out.append((ivs, samples, cpu))
    return out


def py_cpu_threads():
    rr = round_robin(4, 5 * MS, "gil", 1)
    threads = [thread(100, "python3", user=30 * MS, cond=1900 * MS,
                      intervals=[[60 * MS, 1990 * MS, "wait", 2]])]
    for i, (ivs, samples, cpu) in enumerate(rr):
        waited = sum(b - a for a, b, _, _ in ivs)
        threads.append(thread(101 + i, "Thread-%d (count)" % (i + 1),
                              user=cpu, gil=waited, gil_waits=len(ivs),
                              gil_drops=len(ivs), intervals=ivs,
                              samples=samples))
    return profile(["python3", "cpu_threads.py"],
                   [process(100, "/usr/bin/python3.11",
                            ["python3", "cpu_threads.py"], threads,
                            python=PY311)],
                   sites=[{"id": 1, "kind": "gil", "function": "take_gil",
                           "file": "Python/ceval_gil.c", "line": 300,
                           "module": "/usr/bin/python3.11", "object": "0x1",
                           "wait_ns": 0, "count": 0},
                          {"id": 2, "kind": "wait", "function": "join",
                           "file": "threading.py", "line": 1119,
                           "module": "", "object": "0x2", "wait_ns": 0,
                           "count": 0}])


def py_io_threads():
    # The seed's scraper: 5 threads mostly waiting on the network.
    threads = [thread(200, "python3", user=40 * MS, lock=1900 * MS,
                      intervals=[[80 * MS, 1980 * MS, "lock", 3]])]
    for i in range(5):
        ivs, t = [], 20 * MS * i
        while t + 100 * MS < WALL:
            ivs.append([t, t + 90 * MS, "io", 1])
            ivs.append([t + 90 * MS, t + 91 * MS, "gil", 2])
            t += 100 * MS
        io = sum(b - a for a, b, k, _ in ivs if k == "io")
        gil = sum(b - a for a, b, k, _ in ivs if k == "gil")
        threads.append(thread(201 + i, "Thread-%d (fetch)" % (i + 1),
                              user=150 * MS, sys_=30 * MS, io=io, gil=gil,
                              gil_waits=len(ivs) // 2,
                              gil_drops=len(ivs) // 2, intervals=ivs))
    return profile(["python3", "io_threads.py"],
                   [process(200, "/usr/bin/python3.11",
                            ["python3", "io_threads.py"], threads,
                            python=PY311)],
                   sites=[{"id": 1, "kind": "io", "function": "recv",
                           "file": "socket.py", "line": 705, "module": "",
                           "object": "", "wait_ns": 0, "count": 0},
                          {"id": 2, "kind": "gil", "function": "take_gil",
                           "file": "", "line": 0,
                           "module": "/usr/bin/python3.11", "object": "",
                           "wait_ns": 0, "count": 0},
                          {"id": 3, "kind": "lock", "function": "join",
                           "file": "threading.py", "line": 1119,
                           "module": "", "object": "", "wait_ns": 0,
                           "count": 0}])


def py_multiprocessing():
    parent = process(300, "/usr/bin/python3.11", ["python3", "mp.py"],
                     [thread(300, "python3", user=60 * MS, cond=1800 * MS,
                             intervals=[[150 * MS, 1990 * MS, "wait", -1]])],
                     python=PY311)
    procs = [parent]
    for i in range(4):
        start = 30 * MS * (i + 1)
        procs.append(process(301 + i, "/usr/bin/python3.11",
                             ["python3", "-c", "from multiprocessing..."],
                             [thread(301 + i, "python3", start=start,
                                     end=1950 * MS, user=920 * MS,
                                     run_delay=880 * MS)],
                             ppid=300, python=PY311, spawn=28 * MS,
                             start=start, end=1950 * MS))
    return profile(["python3", "mp.py"], procs)


def native_big_lock():
    rr = round_robin(4, 2 * MS, "lock", 0)
    threads = [thread(400, "big_lock", user=2 * MS, cond=1990 * MS)]
    for i, (ivs, samples, cpu) in enumerate(rr):
        waited = sum(b - a for a, b, _, _ in ivs)
        threads.append(thread(401 + i, "big_lock", user=cpu, lock=waited,
                              intervals=ivs, samples=samples))
    waits = sum(len(r[0]) for r in rr)
    total = sum(sum(b - a for a, b, _, _ in r[0]) for r in rr)
    return profile(["./big_lock", "4"],
                   [process(400, "/work/examples/native/big_lock",
                            ["./big_lock", "4"], threads)],
                   sites=[{"id": 0, "kind": "lock", "function": "worker",
                           "file": "big_lock.cpp", "line": 12,
                           "module": "/work/examples/native/big_lock",
                           "object": "0x5555deadbeef", "wait_ns": total,
                           "count": waits}])


def native_scalable():
    threads = [thread(500, "scalable", user=3 * MS, cond=1990 * MS)]
    for i in range(2):
        threads.append(thread(501 + i, "scalable", start=5 * MS,
                              end=1995 * MS, user=1880 * MS, sys_=20 * MS,
                              run_delay=40 * MS))
    return profile(["./scalable", "2"],
                   [process(500, "/work/examples/native/scalable",
                            ["./scalable", "2"], threads)])


def native_io_threads():
    threads = [thread(600, "io_threads", user=5 * MS, cond=1990 * MS)]
    for i in range(4):
        ivs = [[t, t + 45 * MS, "io", 0] for t in range(0, WALL - 50 * MS,
                                                         50 * MS)]
        threads.append(thread(601 + i, "io_threads", user=80 * MS,
                              sys_=40 * MS, io=len(ivs) * 45 * MS,
                              intervals=ivs))
    return profile(["./io_threads", "4"],
                   [process(600, "/work/examples/native/io_threads",
                            ["./io_threads", "4"], threads)],
                   sites=[{"id": 0, "kind": "io", "function": "read",
                           "file": "io_threads.cpp", "line": 20,
                           "module": "", "object": "", "wait_ns": 0,
                           "count": 0}])


def native_phases():
    # A serial set-up phase (main thread alone), then two scalable workers.
    half = WALL // 2
    main_samples = [[t, min(t, half), 0] for t in range(SAMPLE, WALL, SAMPLE)]
    threads = [thread(750, "phases", user=half, samples=main_samples,
                      cond=half - 10 * MS)]
    for i in range(2):
        threads.append(thread(751 + i, "phases", start=half, end=WALL,
                              user=half - 20 * MS, run_delay=10 * MS))
    return profile(["./phases"],
                   [process(750, "/work/examples/native/phases", ["./phases"],
                            threads)])


def native_single():
    return profile(["./single"],
                   [process(700, "/work/examples/native/single", ["./single"],
                            [thread(700, "single", user=1950 * MS,
                                    sys_=10 * MS, run_delay=5 * MS)])])


def py_free_threaded():
    ft = {"version": "3.13.0", "free_threaded": True, "shared_libpython": True}
    threads = [thread(800, "python3.13t", user=20 * MS, cond=1950 * MS)]
    for i in range(2):
        threads.append(thread(801 + i, "Thread-%d (count)" % (i + 1),
                              user=1850 * MS, run_delay=30 * MS))
    return profile(["python3.13t", "cpu_threads.py"],
                   [process(800, "/usr/local/bin/python3.13t",
                            ["python3.13t", "cpu_threads.py"], threads,
                            python=ft)])


def py_cpu_proc_only():
    # Same program as py_cpu_threads, recorded without the preload library:
    # no intervals, no GIL or lock data, only /proc counters.
    threads = [thread(900, "python3", user=30 * MS)]
    for i in range(4):
        threads.append(thread(901 + i, "Thread-%d (count)" % (i + 1),
                              user=490 * MS, run_delay=20 * MS))
    p = profile(["python3", "cpu_threads.py"],
                [process(900, "/usr/bin/python3.11",
                         ["python3", "cpu_threads.py"], threads,
                         python=PY311)], mode="proc-only")
    p["events"]["available"] = []
    return p


def hostile_names():
    # Strings from the profiled program must never become markup.
    p = native_big_lock()
    p["command"] = ["./big_lock", "<b>bold</b>", "a&b", "\"quoted\"", "'single'"]
    proc = p["processes"][0]
    proc["argv"] = p["command"]
    proc["threads"][1]["name"] = "<script>alert(1)</script>"
    p["sites"][0]["function"] = "std::vector<int>::push_back<script>"
    p["sites"][0]["file"] = "<img src=x onerror=alert(2)>.cpp"
    return p


CASES = {
    "py-cpu-threads": py_cpu_threads,
    "py-io-threads": py_io_threads,
    "py-multiprocessing": py_multiprocessing,
    "py-free-threaded": py_free_threaded,
    "py-cpu-proc-only": py_cpu_proc_only,
    "native-big-lock": native_big_lock,
    "native-scalable": native_scalable,
    "native-io-threads": native_io_threads,
    "native-single": native_single,
    "native-phases": native_phases,
    "hostile-names": hostile_names,
}

if __name__ == "__main__":
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__)
    for name, make in CASES.items():
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(make(), f, separators=(",", ":"))
            f.write("\n")
