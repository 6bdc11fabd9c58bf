// A local captured by reference in a thread lambda is shared; captured by copy each thread has its own.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

int main() {
  int total = 0;
#ifdef FIXED
  auto add = [total]() mutable {
#else
  auto add = [&total] {
#endif
    total += 1;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'total' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'total'
  };
  std::thread a(add), b(add);
  a.join();
  b.join();
  return total;
}
