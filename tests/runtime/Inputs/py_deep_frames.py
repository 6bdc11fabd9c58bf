"""Deep Python stacks whose frames span several of the interpreter's 16 KiB
data-stack chunks: deep() has 300 locals (~2.5 KiB a frame), so the 40 nested
calls under each thread's spin() lie in 6 or more chunks. python-stacks-chunks.test
checks that sampled stacks keep every frame."""
import threading
import time

SRC = "def deep(n):\n" + "".join("    v%d = n\n" % i for i in range(300)) + \
      "    return spin() if n == 0 else deep(n - 1)\n"
exec(compile(SRC, __file__, "exec"))


def spin():
    end = time.process_time() + 0.6
    while time.process_time() < end:
        pass


threads = [threading.Thread(target=deep, args=(39,)) for _ in range(2)]
for t in threads:
    t.start()
for t in threads:
    t.join()
