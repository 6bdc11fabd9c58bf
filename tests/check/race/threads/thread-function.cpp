// A std::thread running a plain function writes a global that main reads before join().
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <cstdio>
#include <thread>

int counter;

void worker() {
  counter++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'counter' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'counter'
}

int main() {
  std::thread t(worker);
#ifdef FIXED
  t.join();
#endif
  std::printf("%d\n", counter);
#ifndef FIXED
  t.join();
#endif
}
