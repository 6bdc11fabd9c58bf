// A write in the parent before the thread is created happens-before everything the thread does.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <cstdio>
#include <thread>

int verbosity;

void worker() { std::printf("%d\n", verbosity); }

int main() {
#ifdef FIXED
  verbosity = 2;
#endif
  std::thread t(worker);
#ifndef FIXED
  verbosity = 2;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'verbosity' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'verbosity'
#endif
  t.join();
}
