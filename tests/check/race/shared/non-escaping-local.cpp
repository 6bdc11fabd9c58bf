// A local that does not escape its function is private to the thread running it.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

#ifndef FIXED
int sum;
#endif

int worker(int n) {
#ifdef FIXED
  int sum = 0;
#endif
  for (int i = 0; i < n; ++i)
    sum += i;
  // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'sum' races with a concurrent {{read|write}} [threadwise-race-unprotected-write]
  // CHECK: note: conflicting {{read|write}} of 'sum'
  return sum;
}

int main() {
  std::thread a(worker, 10), b(worker, 20);
  a.join();
  b.join();
}
