// A global in a namespace is named with its namespace, and the column is that of the qualifier.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

namespace metrics {
long requests;
std::mutex requests_mutex;
} // namespace metrics

void handle_request() {
#ifdef FIXED
  std::lock_guard<std::mutex> g(metrics::requests_mutex);
#endif
  metrics::requests++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'metrics::requests' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'metrics::requests'
}

int main() {
  std::thread a(handle_request), b(handle_request);
  a.join();
  b.join();
}
