// A parent write between thread creation and join() races with the thread's read.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

int batch_size = 8;

int worker() { return batch_size * 2; }

int main() {
  std::thread t(worker);
#ifdef FIXED
  t.join();
#endif
  batch_size = 16;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'batch_size' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'batch_size'
#ifndef FIXED
  t.join();
#endif
}
