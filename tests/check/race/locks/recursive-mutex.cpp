// std::recursive_mutex re-locked by a callee still protects the caller's writes.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int total;
int last;
std::recursive_mutex rm;

void add(int n) {
  std::lock_guard<std::recursive_mutex> g(rm);
  total += n;
}

void add_and_remember(int n) {
#ifdef FIXED
  std::lock_guard<std::recursive_mutex> g(rm);
#endif
  add(n);
  last = n;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'last' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'last'
}

int main() {
  std::thread a(add_and_remember, 1), b(add_and_remember, 2);
  a.join();
  b.join();
}
