// Unlocking on an error branch that falls through leaves the write after the merge unprotected.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

int errors;
int records;
std::mutex m;

void worker(int n) {
  m.lock();
  if (n < 0) {
    errors++;
    m.unlock();
#ifdef FIXED
    return;
#endif
  }
  records++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'records' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'records'
  if (n >= 0)
    m.unlock();
}

int main() {
  std::thread a(worker, -1), b(worker, 1);
  a.join();
  b.join();
}
