// A loop with a constant trip count above 1000 under a shared lock is heavy.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <vector>

std::mutex m;
unsigned long hash;

void mix() {
  unsigned long h = 0;
#ifndef FIXED
  std::lock_guard<std::mutex> g(m);
#endif
  for (int i = 0; i < 5000000; i++)
#ifndef FIXED
    // CHECK: :[[@LINE-2]]:3: warning: CPU-heavy loop runs while holding 'm', which every instance of thread 'mix' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    // CHECK: note: the loop runs 5000000 iterations
#endif
    h = h * 31 + i;
#ifdef FIXED
  std::lock_guard<std::mutex> g(m);
#endif
  hash ^= h;
}

int main() {
  std::vector<std::thread> ts;
  for (int k = 0; k < 4; k++)
    ts.emplace_back(mix);
  for (auto &t : ts)
    t.join();
  return hash == 0;
}
