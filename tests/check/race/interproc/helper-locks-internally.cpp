// A helper that locks internally protects its own write, but the lock is gone when it returns.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int sessions;
int last_session;
std::mutex m;

int open_session() {
  std::lock_guard<std::mutex> g(m);
  sessions++;
#ifdef FIXED
  last_session = sessions;
#endif
  return sessions;
}

void worker() {
  int id = open_session();
#ifndef FIXED
  last_session = id;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'last_session' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'last_session'
#endif
  (void)id;
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
