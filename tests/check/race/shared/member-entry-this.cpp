// A member entry point shares its object: the field written by the thread and by main races.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

struct Counter {
  int n = 0;
  void run() {
    n++;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'Counter::n' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'Counter::n'
  }
};

int main() {
  Counter c;
  std::thread t(&Counter::run, &c);
#ifdef FIXED
  t.join();
#endif
  c.n = 5;
#ifndef FIXED
  t.join();
#endif
  return c.n;
}
