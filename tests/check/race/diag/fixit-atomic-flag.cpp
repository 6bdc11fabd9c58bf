// A racy bool flag gets a fix-it that turns its declaration into std::atomic<bool>.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <atomic>
#include <thread>

#ifdef FIXED
std::atomic<bool> stop_requested{false};
#else
bool stop_requested = false;
#endif

void poll() {
  while (!stop_requested)
    std::this_thread::yield();
}

int main() {
  std::thread t(poll);
  stop_requested = true;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'stop_requested' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: std::atomic<bool>
  t.join();
}
