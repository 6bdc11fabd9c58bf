// Two racing writes, equal locks, both in thread entries: the first in source order is primary.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

int owner;

void second_writer() {
  owner = 2;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'owner' races with a concurrent write [threadwise-race-unprotected-write]
}

void first_writer() {
  owner = 1;
  // CHECK: :[[@LINE-1]]:{{[0-9]+}}: note: conflicting write of 'owner'
}

int main() {
  std::thread a(first_writer);
#ifdef FIXED
  a.join();
#endif
  std::thread b(second_writer);
#ifndef FIXED
  a.join();
#endif
  b.join();
}
