// std::adopt_lock takes over a mutex already locked: held inside, released by the destructor.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int inside;
int outside;
std::mutex m;

void worker() {
  m.lock();
  {
    std::unique_lock<std::mutex> lock(m, std::adopt_lock);
    inside++;
#ifdef FIXED
    outside++;
#endif
  }
#ifndef FIXED
  outside++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'outside' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'outside'
#endif
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
