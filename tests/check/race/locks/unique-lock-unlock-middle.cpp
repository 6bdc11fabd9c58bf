// std::unique_lock::unlock() in the middle of the scope ends the protection for what follows.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int queued;
int served;
std::mutex m;

void worker() {
  std::unique_lock<std::mutex> lock(m);
  queued++;
#ifndef FIXED
  lock.unlock();
#endif
  served++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'served' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'served'
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
