// The loop counter captured by reference in a thread lambda is incremented by main while threads read it.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <cstdio>
#include <thread>
#include <vector>

int main() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    // CHECK: :[[@LINE-1]]:{{[0-9]+}}: warning: unprotected write to shared variable 'i' races with a concurrent read [threadwise-race-unprotected-write]
#ifdef FIXED
    threads.emplace_back([i] { std::printf("task %d\n", i); });
#else
    threads.emplace_back([&] { std::printf("task %d\n", i); });
#endif
  }
  for (std::thread &t : threads)
    t.join();
}
