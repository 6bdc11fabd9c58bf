// Two unprotected racing writes with equal locks: the one in the thread entry is primary, not main's.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

int phase;
void worker();

int main() {
  std::thread t(worker);
#ifdef FIXED
  t.join();
#endif
  phase = 2;
  // CHECK-DAG: :[[@LINE-1]]:{{[0-9]+}}: note: conflicting write of 'phase'
#ifndef FIXED
  t.join();
#endif
}

void worker() {
  phase = 1;
  // CHECK-DAG: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'phase' races with a concurrent write [threadwise-race-unprotected-write]
}
