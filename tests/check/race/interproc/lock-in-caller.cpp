// A lock taken in the caller protects the write in the callee; calling after unlock does not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int entries;
std::mutex log_mutex;

void append_entry() {
  entries++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'entries' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'entries'
}

void worker() {
  log_mutex.lock();
#ifndef FIXED
  log_mutex.unlock();
#endif
  append_entry();
#ifdef FIXED
  log_mutex.unlock();
#endif
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
