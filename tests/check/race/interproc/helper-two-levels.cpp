// The racy write sits in a helper two calls below the thread entry.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int cache_fills;
std::mutex m;

void fill_cache() {
  cache_fills++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'cache_fills' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'cache_fills'
}

void lookup(int key) {
  if (key > 0)
    fill_cache();
}

void worker() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(m);
#endif
  lookup(1);
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
