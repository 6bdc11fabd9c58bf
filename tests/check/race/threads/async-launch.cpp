// std::async with std::launch::async runs on a new thread: two such tasks race on a counter.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <future>
#include <mutex>

int calls;
std::mutex calls_mutex;

void work() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(calls_mutex);
#endif
  calls++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'calls' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'calls'
}

int main() {
  auto a = std::async(std::launch::async, work);
  auto b = std::async(std::launch::async, work);
  a.get();
  b.get();
  return calls == 2 ? 0 : 1;
}
