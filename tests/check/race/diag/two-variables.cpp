// Two racy variables in one function are reported separately, each at its own write, in source order.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

long bytes_in;
long packets_in;
std::mutex m;

void receive(long n) {
#ifdef FIXED
  std::lock_guard<std::mutex> g(m);
#endif
  bytes_in += n;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'bytes_in' races with a concurrent write [threadwise-race-unprotected-write]
  packets_in++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'packets_in' races with a concurrent write [threadwise-race-unprotected-write]
}

int main() {
  std::thread a(receive, 100), b(receive, 200);
  a.join();
  b.join();
}
