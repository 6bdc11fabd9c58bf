// Moving a std::unique_lock keeps the mutex held; it is released when the new owner is destroyed.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <utility>

int items;
int bytes;
std::mutex m;

void worker() {
  std::unique_lock<std::mutex> first(m);
  {
    std::unique_lock<std::mutex> second(std::move(first));
    items++;
#ifdef FIXED
    bytes += 10;
#endif
  }
#ifndef FIXED
  bytes += 10;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'bytes' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'bytes'
#endif
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
