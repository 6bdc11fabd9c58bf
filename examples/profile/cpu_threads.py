"""CPU-bound Python threads (the seed article's second case): 4 threads each
count to a few million. The GIL lets only one run Python code at a time, so the
run takes as long as doing the work serially: processes are the right tool.
With --forever the threads keep counting until the process is killed (a target
for `threadwise profile --pid`); --work N sets each thread's count (default
5,000,000; bench/profile/run.sh sizes it for a ~2 s run)."""
import sys
import threading
import time

WORK = 5_000_000


def count(n):
    total = 0
    for i in range(n):
        total += i
    return total


def count_forever(n):
    while True:
        count(n)


if __name__ == "__main__":
    work = WORK
    if "--work" in sys.argv[1:]:
        work = int(sys.argv[sys.argv.index("--work") + 1])
    start = time.time()
    target = count_forever if "--forever" in sys.argv[1:] else count
    threads = [threading.Thread(target=target, args=(work,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("cpu_threads: 4 x %d in %.2f s" % (work, time.time() - start))
