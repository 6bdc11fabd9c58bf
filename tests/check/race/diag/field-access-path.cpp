// A field of a global struct is named by its access path Class::field; the column is that of the object.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

struct Stats {
  long hits = 0;
  long misses = 0;
};

Stats stats;
std::mutex stats_mutex;

void lookup(bool found) {
  if (!found)
    return;
#ifdef FIXED
  std::lock_guard<std::mutex> g(stats_mutex);
#endif
  stats.hits += 1;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'Stats::hits' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'Stats::hits'
}

int main() {
  std::thread a(lookup, true), b(lookup, true);
  a.join();
  b.join();
}
