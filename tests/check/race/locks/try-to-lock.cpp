// std::unique_lock with std::try_to_lock holds the mutex only where owns_lock() was checked true.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int attempts;
std::mutex m;

void worker() {
  std::unique_lock<std::mutex> lock(m, std::try_to_lock);
#ifdef FIXED
  if (!lock.owns_lock())
    return;
#endif
  attempts++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'attempts' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'attempts'
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
