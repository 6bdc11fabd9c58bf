// A std::unique_lock built with std::defer_lock holds nothing until lock() is called.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int pending;
int flushed;
std::mutex m;

void worker() {
  std::unique_lock<std::mutex> lock(m, std::defer_lock);
#ifdef FIXED
  lock.lock();
#endif
  pending++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'pending' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'pending'
#ifndef FIXED
  lock.lock();
#endif
  flushed++;
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
