// A member function called from two threads on one global object writes its field.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

class Histogram {
  long samples = 0;
  std::mutex mutex;

public:
  void record() {
#ifdef FIXED
    std::lock_guard<std::mutex> g(mutex);
#endif
    samples++;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'Histogram::samples' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'Histogram::samples'
  }
};

Histogram latency;

void handle() { latency.record(); }

int main() {
  std::thread a(handle), b(handle);
  a.join();
  b.join();
}
