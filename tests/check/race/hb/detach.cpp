// A detached thread is never joined: a later write in main still races with it.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <cstdio>
#include <thread>

int level = 1;

void reporter() { std::printf("level %d\n", level); }

int main() {
  std::thread t(reporter);
#ifdef FIXED
  t.join();
#else
  t.detach();
#endif
  level = 3;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'level' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'level'
}
