import threading
def count(n):
    while n > 0:
        n -= 1
ts = [threading.Thread(target=count, args=(6_000_000,)) for _ in range(4)]
for t in ts: t.start()
for t in ts: t.join()
