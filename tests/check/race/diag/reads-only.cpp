// Accesses that are only reads never race with each other, however many threads read.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

int table[4] = {1, 2, 3, 4};
int lookups_allowed = 10;

int lookup(int i) {
#ifndef FIXED
  lookups_allowed = lookups_allowed - 1;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'lookups_allowed' races with a concurrent {{read|write}} [threadwise-race-unprotected-write]
#endif
  return lookups_allowed > 0 ? table[i % 4] : -1;
}

int main() {
  std::thread a(lookup, 1), b(lookup, 2), c(lookup, 3);
  a.join();
  b.join();
  c.join();
}
