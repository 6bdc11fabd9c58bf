// A std::unique_lock returned by a function stays held while the caller keeps it alive.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int reservations;
std::mutex m;

std::unique_lock<std::mutex> acquire() { return std::unique_lock<std::mutex>(m); }

void worker() {
#ifdef FIXED
  auto lock = acquire();
#else
  acquire(); // The temporary lock is released at the end of this statement.
#endif
  reservations++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'reservations' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'reservations'
}

int main() {
  std::thread a(worker), b(worker);
  a.join();
  b.join();
}
