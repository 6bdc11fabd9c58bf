// A join() done inside a helper function still orders the thread before the caller's later writes.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>

int frames;

void render() {
  frames++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'frames' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'frames'
}

void wait_for(std::thread &t) {
#ifdef FIXED
  t.join();
#else
  t.detach();
#endif
}

int main() {
  std::thread t(render);
  wait_for(t);
  frames = 0;
}
