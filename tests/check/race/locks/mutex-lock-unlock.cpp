// Explicit std::mutex lock()/unlock(): the write after unlock() is no longer protected.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int hits;
int misses;
std::mutex m;

void worker() {
  m.lock();
  hits++;
#ifndef FIXED
  m.unlock();
#endif
  misses++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'misses' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'misses'
#ifdef FIXED
  m.unlock();
#endif
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
