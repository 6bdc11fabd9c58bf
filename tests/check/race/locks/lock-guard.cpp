// std::lock_guard protects the writes in its scope, and only those.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int queued;
int completed;
std::mutex m;

void worker() {
  {
    std::lock_guard<std::mutex> g(m);
    queued++;
#ifdef FIXED
    completed++;
#endif
  }
#ifndef FIXED
  completed++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'completed' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'completed'
#endif
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
