// Initialising a function-local static is thread-safe in C++11; assigning it lazily by hand is not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

int compute() { return 42; }

int cached_value() {
#ifdef FIXED
  static int cached = compute();
#else
  static int cached;
  if (cached == 0)
    cached = compute();
  // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'cached' races with a concurrent {{read|write}} [threadwise-race-unprotected-write]
  // CHECK: note: conflicting {{read|write}} of 'cached'
#endif
  return cached;
}

int main() {
  std::thread a(cached_value), b(cached_value);
  a.join();
  b.join();
}
