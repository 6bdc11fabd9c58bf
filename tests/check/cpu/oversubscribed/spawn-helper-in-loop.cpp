// A helper that starts one detached CPU-bound thread, called 50 times in a loop, starts 50 threads at once; called twice, two.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <atomic>
#include <thread>

static std::atomic<int> done;

static void checksum(unsigned seed) {
  unsigned h = seed;
  for (int i = 0; i < 50000000; i++)
    h = h * 2654435761u ^ (h >> 13);
  done += h == 0;
}

static void start_job(unsigned seed) {
  std::thread(checksum, seed).detach();
  // CHECK: :[[@LINE-1]]:3: warning: 50 instances of CPU-bound thread 'checksum' may run at once
}

int main() {
#ifndef FIXED
  for (unsigned s = 0; s < 50; s++)
#else
  for (unsigned s = 0; s < 2; s++)
#endif
    start_job(s);
}
