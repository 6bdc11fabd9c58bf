// A racy scalar counter gets a fix-it that turns its declaration into std::atomic<int>.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <atomic>
#include <thread>

#ifdef FIXED
std::atomic<int> requests_served;
#else
int requests_served;
#endif

void serve() {
  requests_served++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'requests_served' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: std::atomic<int>
}

int main() {
  std::thread a(serve), b(serve);
  a.join();
  b.join();
}
