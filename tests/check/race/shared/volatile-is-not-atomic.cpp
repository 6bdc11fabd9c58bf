// volatile does not make an access atomic: a volatile counter still races; std::atomic does not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <atomic>
#include <thread>

#ifdef FIXED
std::atomic<int> events;
#else
volatile int events;
#endif

void worker() {
  events++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'events' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'events'
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
