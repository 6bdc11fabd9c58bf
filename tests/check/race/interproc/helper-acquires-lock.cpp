// Unannotated helpers that only lock or only unlock: their summaries carry the lock to the caller.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int in_flight;
std::mutex m;

void enter() { m.lock(); }
void leave() { m.unlock(); }

void worker() {
  enter();
#ifndef FIXED
  leave();
#endif
  in_flight++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'in_flight' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'in_flight'
#ifdef FIXED
  leave();
#endif
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
