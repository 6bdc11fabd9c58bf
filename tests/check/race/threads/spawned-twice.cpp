// The same entry started twice by two separate std::thread objects runs concurrently with itself.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

unsigned long bytes_copied;
std::mutex m;

void copy_chunk(unsigned long n) {
#ifdef FIXED
  std::unique_lock<std::mutex> lock(m);
#endif
  bytes_copied += n;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'bytes_copied' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'bytes_copied'
}

int main() {
  std::thread first(copy_chunk, 100ul);
  std::thread second(copy_chunk, 200ul);
  first.join();
  second.join();
}
