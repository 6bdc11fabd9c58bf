// A default by-reference capture [&] shares the local with the thread; [=] copies it.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <cstdio>
#include <thread>

int main() {
  int progress = 0;
#ifdef FIXED
  std::thread t([=]() mutable {
#else
  std::thread t([&] {
#endif
    for (int i = 0; i < 100; ++i)
      progress = i;
    // CHECK: :[[@LINE-1]]:7: warning: unprotected write to shared variable 'progress' races with a concurrent read [threadwise-race-unprotected-write]
    // CHECK: note: conflicting read of 'progress'
  });
  std::printf("%d\n", progress);
  t.join();
}
