// A std::atomic<bool> flag set with store() and polled by main is not a race; a plain bool is.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <atomic>
#include <thread>

#ifdef FIXED
std::atomic<bool> done{false};
#else
bool done = false;
#endif

void worker() {
#ifdef FIXED
  done.store(true);
#else
  done = true;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'done' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'done'
#endif
}

int main() {
  std::thread t(worker);
  while (!done)
    std::this_thread::yield();
  t.join();
}
