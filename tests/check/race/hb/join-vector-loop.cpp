// Threads kept in a vector and joined in a loop: a write after that loop is ordered after all of them.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <vector>

int completed;
std::mutex m;

void worker() {
  std::lock_guard<std::mutex> g(m);
  completed++;
}

int main() {
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back(worker);
#ifdef FIXED
  for (std::thread &t : threads)
    t.join();
#endif
  completed = 0;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'completed' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'completed'
#ifndef FIXED
  for (std::thread &t : threads)
    t.join();
#endif
}
