// Two std::jthreads run the same entry; the counter they both bump is unprotected.
// RUN: not %threadwise check %s -- -std=c++20 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++20 -DFIXED | count 0
#include <cstdio>
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
  {
    std::jthread a(worker);
    std::jthread b(worker);
  }
  // Both jthreads joined at the end of the block: this read is ordered after them.
  std::printf("%d\n", counter);
}
