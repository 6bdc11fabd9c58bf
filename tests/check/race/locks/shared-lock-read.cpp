// Reads under std::shared_lock and writes under std::unique_lock of one shared_mutex do not race.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <shared_mutex>
#include <thread>

int value;
std::shared_mutex rw;

int reader() {
#ifdef FIXED
  std::shared_lock<std::shared_mutex> lock(rw);
#endif
  return value;
}

void writer() {
  std::unique_lock<std::shared_mutex> lock(rw);
  value = 42;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'value' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'value'
}

int main() {
  std::thread r1(reader), r2(reader), w(writer);
  r1.join();
  r2.join();
  w.join();
}
