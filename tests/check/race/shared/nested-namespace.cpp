// A global in a nested namespace, written by unqualified name from inside that namespace.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

namespace app::net {
unsigned long bytes_sent;
std::mutex stats_mutex;

void send(unsigned long n) {
#ifdef FIXED
  std::lock_guard<std::mutex> g(stats_mutex);
#endif
  bytes_sent += n;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'app::net::bytes_sent' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'app::net::bytes_sent'
}
} // namespace app::net

int main() {
  std::thread a(app::net::send, 10ul), b(app::net::send, 20ul);
  a.join();
  b.join();
}
