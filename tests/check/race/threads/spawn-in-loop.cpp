// One std::thread per loop iteration runs the same entry: the entry races with itself.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <vector>

int processed;
std::mutex m;

void worker() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(m);
#endif
  processed++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'processed' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'processed'
}

int main() {
  std::vector<std::thread> pool;
  for (int i = 0; i < 4; ++i)
    pool.emplace_back(worker);
  for (auto &t : pool)
    t.join();
  return processed == 4 ? 0 : 1;
}
