// A thread created and joined in the same loop iteration never overlaps the next one.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>
#include <vector>

int stage;

void worker() {
  stage++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'stage' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'stage'
}

int main() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
#ifdef FIXED
    std::thread t(worker);
    t.join();
#else
    threads.emplace_back(worker);
#endif
  }
  for (std::thread &t : threads)
    t.join();
  return stage;
}
