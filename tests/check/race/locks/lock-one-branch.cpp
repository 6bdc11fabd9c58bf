// A mutex locked in only one branch is not held after the branches merge (must-lockset).
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int counter;
std::mutex m;

void worker(bool single_threaded) {
#ifdef FIXED
  m.lock();
#else
  if (!single_threaded)
    m.lock();
#endif
  counter++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'counter' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'counter'
#ifdef FIXED
  m.unlock();
#else
  if (!single_threaded)
    m.unlock();
#endif
}

int main() {
  std::thread a(worker, true), b(worker, false);
  a.join();
  b.join();
}
