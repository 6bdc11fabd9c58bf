// std::launch::deferred runs the task in the thread that calls get(): it is not a thread.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <future>

int config = 1;

int work() { return config * 2; }

int main() {
#ifdef FIXED
  auto f = std::async(std::launch::deferred, work);
#else
  auto f = std::async(std::launch::async, work);
#endif
  config = 2;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'config' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'config'
  return f.get();
}
