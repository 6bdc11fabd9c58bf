"""The same CPU-bound work in a multiprocessing.Pool (the seed article's
answer): one interpreter, one GIL per worker, so the work runs in parallel on
as many cores as there are. --work N sets each task's count (default
5,000,000)."""
import multiprocessing
import sys
import time

WORK = 5_000_000


def count(n):
    total = 0
    for i in range(n):
        total += i
    return total


if __name__ == "__main__":
    work = WORK
    if "--work" in sys.argv[1:]:
        work = int(sys.argv[sys.argv.index("--work") + 1])
    start = time.time()
    with multiprocessing.Pool(4) as pool:
        pool.map(count, [work] * 4)
    print("cpu_processes: 4 x %d in %.2f s" % (work, time.time() - start))
