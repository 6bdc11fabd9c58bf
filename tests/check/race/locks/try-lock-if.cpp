// try_lock() in an if: the success branch holds the mutex, the failure branch does not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int fast_path;
int slow_path;
std::mutex m;

void worker() {
  if (m.try_lock()) {
    fast_path++;
    m.unlock();
  } else {
#ifdef FIXED
    std::lock_guard<std::mutex> g(m);
#endif
    slow_path++;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'slow_path' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'slow_path'
  }
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
