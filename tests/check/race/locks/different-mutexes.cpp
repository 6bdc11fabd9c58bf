// Both sides lock, but different mutexes: no common lock, so the writes race.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int queue_length;
std::mutex producer_mutex;
std::mutex consumer_mutex;

void produce() {
  std::lock_guard<std::mutex> g(producer_mutex);
  queue_length++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'queue_length' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'queue_length'
}

void consume() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(producer_mutex);
#else
  std::lock_guard<std::mutex> g(consumer_mutex);
#endif
  queue_length--;
}

int main() {
  std::thread a(produce), b(consume);
  a.join();
  b.join();
}
