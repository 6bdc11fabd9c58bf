// A write in the parent after join() happens-after everything the thread did.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

int result;

void worker() {
  result = 1;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'result' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'result'
}

int main() {
  std::thread t(worker);
#ifdef FIXED
  t.join();
#endif
  result = 0;
#ifndef FIXED
  t.join();
#endif
  return result;
}
