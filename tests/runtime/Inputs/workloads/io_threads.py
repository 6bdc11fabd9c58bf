import threading, time
def fetch(i):
    for _ in range(10):
        time.sleep(0.1)
ts = [threading.Thread(target=fetch, args=(i,)) for i in range(5)]
for t in ts: t.start()
for t in ts: t.join()
