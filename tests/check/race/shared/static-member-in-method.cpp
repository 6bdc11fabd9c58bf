// A static member written by unqualified name inside a member function that two threads run.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

class Cache {
  static inline int misses = 0;
  static inline std::mutex mutex;

public:
  void lookup(int key) {
    if (key % 2 == 0)
      return;
#ifdef FIXED
    std::lock_guard<std::mutex> g(mutex);
#endif
    misses++;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'Cache::misses' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'Cache::misses'
  }
};

int main() {
  Cache first, second;
  std::thread a(&Cache::lookup, &first, 1);
  std::thread b(&Cache::lookup, &second, 3);
  a.join();
  b.join();
}
