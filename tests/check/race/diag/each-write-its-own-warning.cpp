// A variable with two distinct unprotected writes that each race gets one warning per write.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int state;
std::mutex m;

void step() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(m);
#endif
  state = 1;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'state' races with a concurrent write [threadwise-race-unprotected-write]
  state = 2;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'state' races with a concurrent write [threadwise-race-unprotected-write]
}

int main() {
  std::thread a(step), b(step);
  a.join();
  b.join();
}
