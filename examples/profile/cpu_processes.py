"""The same CPU-bound work in a multiprocessing.Pool (the seed article's
answer): one interpreter, one GIL per worker, so the work runs in parallel on
as many cores as there are."""
import multiprocessing
import time

WORK = 5_000_000


def count(n):
    total = 0
    for i in range(n):
        total += i
    return total


if __name__ == "__main__":
    start = time.time()
    with multiprocessing.Pool(4) as pool:
        pool.map(count, [WORK] * 4)
    print("cpu_processes: 4 x %d in %.2f s" % (WORK, time.time() - start))
