// The notes point at the conflicting access and at the spawn site of the thread.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <cstdio>
#include <thread>

int progress;

void worker() {
  for (int i = 1; i <= 100; ++i)
    progress = i;
  // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'progress' races with a concurrent read [threadwise-race-unprotected-write]
}

int main() {
  std::thread t(worker);
  // CHECK-DAG: :[[@LINE-1]]:{{[0-9]+}}: note: thread 'worker' started here
#ifdef FIXED
  t.join();
#endif
  std::printf("%d%%\n", progress);
  // CHECK-DAG: :[[@LINE-1]]:{{[0-9]+}}: note: conflicting read of 'progress'
#ifndef FIXED
  t.join();
#endif
}
