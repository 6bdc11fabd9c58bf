// A function-local static is one object for every thread; it is named by its plain name.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

void count_call() {
  static int calls;
#ifdef FIXED
  static std::mutex m;
  std::lock_guard<std::mutex> g(m);
#endif
  calls++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'calls' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'calls'
}

int main() {
  std::thread a(count_call), b(count_call);
  a.join();
  b.join();
}
