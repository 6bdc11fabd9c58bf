// A write under std::shared_lock (a reader lock) races with another writer under the same reader lock.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <shared_mutex>
#include <thread>

int version;
std::shared_mutex rw;

void bump_version() {
#ifdef FIXED
  std::unique_lock<std::shared_mutex> lock(rw);
#else
  std::shared_lock<std::shared_mutex> lock(rw);
#endif
  version++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'version' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'version'
}

int main() {
  std::thread a(bump_version), b(bump_version);
  a.join();
  b.join();
}
