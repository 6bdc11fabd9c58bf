// A loop that blocks (reads a file) under the lock is I/O-bound, not CPU work.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <unistd.h>
#include <vector>

std::mutex m;
long checksum;

void consume(int fd, int blocks) {
  char buf[512];
  std::lock_guard<std::mutex> g(m);
  for (int b = 0; b < blocks; b++) {
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'm', which every instance of thread 'consume' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
#ifdef FIXED
    if (read(fd, buf, sizeof buf) <= 0)
      break;
#endif
    for (int i = 0; i < (int)sizeof buf; i++)
      checksum += buf[i] * 31;
  }
}

int main() {
  std::vector<std::thread> ts;
  for (int k = 0; k < 4; k++)
    ts.emplace_back(consume, 0, 100);
  for (auto &t : ts)
    t.join();
  return checksum == 0;
}
