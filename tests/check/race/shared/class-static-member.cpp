// A static data member is shared by every thread; it is named Class::member.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

struct Stats {
  static int hits;
  static std::mutex mutex;
};
int Stats::hits;
std::mutex Stats::mutex;

void worker() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(Stats::mutex);
#endif
  Stats::hits++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'Stats::hits' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'Stats::hits'
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
