"""Daemon threads still running Python code when the main thread returns: the
interpreter's finalization frees their thread states while they wait for the
GIL (python-daemon-exit.test). Exits 3 on purpose, to see the status pass
through."""
import sys
import threading
import time


def spin():
    n = 0
    while True:
        n += 1


for _ in range(4):
    threading.Thread(target=spin, daemon=True).start()
time.sleep(0.3)
sys.exit(3)
