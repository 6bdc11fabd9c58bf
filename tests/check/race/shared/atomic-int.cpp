// std::atomic<int> increments and assignments are atomic: no race; a plain int races.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <atomic>
#include <thread>

#ifdef FIXED
std::atomic<int> counter;
#else
int counter;
#endif

void worker() {
  counter++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'counter' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'counter'
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
  return counter == 2 ? 0 : 1;
}
