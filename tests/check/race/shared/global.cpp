// A plain global written by an entry that two threads run.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int counter;
std::mutex m;

void worker() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(m);
#endif
  counter++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'counter' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'counter'
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
