// One heap object handed to two threads is shared; two separate objects are not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

struct Stats {
  long hits = 0;
};

void record(Stats *s) {
  s->hits++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'Stats::hits' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'Stats::hits'
}

int main() {
  Stats *first = new Stats();
  Stats *second = new Stats();
  std::thread a(record, first);
#ifdef FIXED
  std::thread b(record, second);
#else
  std::thread b(record, first);
#endif
  a.join();
  b.join();
  long total = first->hits + second->hits;
  delete first;
  delete second;
  return total == 2 ? 0 : 1;
}
