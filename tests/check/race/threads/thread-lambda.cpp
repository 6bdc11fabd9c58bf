// A std::thread running a capture-less lambda sets a global flag that main polls while it runs.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <cstdio>
#include <thread>

bool ready;

int main() {
  std::thread t([] {
    ready = true;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'ready' races with a concurrent read [threadwise-race-unprotected-write]
    // CHECK: note: conflicting read of 'ready'
  });
#ifdef FIXED
  t.join();
#endif
  if (ready)
    std::puts("ready");
#ifndef FIXED
  t.join();
#endif
}
