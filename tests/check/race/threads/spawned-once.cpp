// A thread started once does not race with itself; it races only with main's concurrent write.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

int counter;

void worker() {
  for (int i = 0; i < 1000; ++i)
    counter++;
  // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'counter' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'counter'
}

int main() {
  std::thread t(worker);
#ifndef FIXED
  counter = 10;
#endif
  t.join();
  return counter == 1000 ? 0 : 1;
}
