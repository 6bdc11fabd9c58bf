// Two threads run a function object; joining the first before starting the second orders them.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

long ticks;

struct Tick {
  void operator()() const {
    ticks++;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'ticks' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'ticks'
  }
};

int main() {
  std::thread first{Tick{}};
#ifdef FIXED
  first.join();
#endif
  std::thread second{Tick{}};
#ifndef FIXED
  first.join();
#endif
  second.join();
}
