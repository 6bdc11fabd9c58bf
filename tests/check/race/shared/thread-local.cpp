// A thread_local variable is a different object in every thread: never a race.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

#ifdef FIXED
thread_local
#endif
    int scratch;

void worker() {
  scratch = 7;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'scratch' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'scratch'
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
