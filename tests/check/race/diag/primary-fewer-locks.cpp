// Of two racing writes the one holding fewer locks is primary, even outside a thread entry.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int mode;
std::mutex m;
void worker();

int main() {
  std::thread t(worker);
#ifdef FIXED
  t.join();
#endif
  mode = 2;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'mode' races with a concurrent write [threadwise-race-unprotected-write]
#ifndef FIXED
  t.join();
#endif
}

void worker() {
  std::lock_guard<std::mutex> g(m);
  mode = 1;
  // CHECK: :[[@LINE-1]]:{{[0-9]+}}: note: conflicting write of 'mode'
}
