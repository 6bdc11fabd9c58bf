import multiprocessing
def count(n):
    while n > 0:
        n -= 1
if __name__ == '__main__':
    ps = [multiprocessing.Process(target=count, args=(10_000_000,)) for _ in range(2)]
    for p in ps: p.start()
    for p in ps: p.join()
