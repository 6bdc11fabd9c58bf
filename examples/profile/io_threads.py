"""I/O-bound threads (the seed article's first case): 8 threads that each wait
on a socket for a reply that comes 20 ms later, 10 times. The waiting releases
the GIL, so threads overlap the waits: threads are the right tool.
Local only: a socketpair and a delaying echo thread, no network."""
import socket
import threading
import time

ROUNDS = 10
DELAY = 0.02


def echo_after_delay(sock):
    while True:
        data = sock.recv(64)
        if not data:
            return
        time.sleep(DELAY)  # the "remote" side takes its time
        sock.sendall(data)


def worker(n):
    mine, theirs = socket.socketpair()
    server = threading.Thread(target=echo_after_delay, args=(theirs,), daemon=True)
    server.start()
    for i in range(ROUNDS):
        mine.sendall(b"request %d/%d" % (n, i))
        mine.recv(64)
    mine.close()
    server.join()
    theirs.close()


if __name__ == "__main__":
    start = time.time()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("io_threads: %d requests in %.2f s" % (8 * ROUNDS, time.time() - start))
