// future.get() on a std::async(std::launch::async) task orders the task before what follows.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <future>

int scale = 3;

int compute() { return scale * 7; }

int main() {
  std::future<int> f = std::async(std::launch::async, compute);
#ifdef FIXED
  int r = f.get();
#endif
  scale = 4;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'scale' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'scale'
#ifndef FIXED
  int r = f.get();
#endif
  return r;
}
