// std::atomic_ref makes each access to a plain int atomic (C++20): no race.
// RUN: not %threadwise check %s -- -std=c++20 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++20 -DFIXED | count 0
#include <atomic>
#include <thread>

int hits;

void worker() {
#ifdef FIXED
  std::atomic_ref<int>(hits).fetch_add(1);
#else
  hits += 1;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'hits' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'hits'
#endif
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  return hits == 2 ? 0 : 1;
}
