// CheckOptions: with AssumedCores 2 and MaxThreadsPerCore 2, 16 CPU-bound threads are too many; 4 are not.
// RUN: printf 'CheckOptions:\n  threadwise-cpu-oversubscribed-threads.AssumedCores: 2\n  threadwise-cpu-oversubscribed-threads.MaxThreadsPerCore: 2\n' > %t.yaml
// RUN: not %threadwise check --config-file=%t.yaml %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check --config-file=%t.yaml %s -- -std=c++17 -DFIXED | count 0
// RUN: %threadwise check %s -- -std=c++17 | count 0
#include <thread>
#include <vector>

static void spin(double *out) {
  double x = 0;
  for (int i = 0; i < 100000000; i++)
    x += i * 1e-9;
  *out = x;
}

int main() {
#ifndef FIXED
  const int n = 16;
#else
  const int n = 4;
#endif
  double out[n];
  std::vector<std::thread> ts;
  for (int k = 0; k < n; k++)
    ts.emplace_back(spin, &out[k]);
  // CHECK: :[[@LINE-1]]:5: warning: 16 instances of CPU-bound thread 'spin' may run at once, more than 2 per core on a 2-core machine
  for (auto &t : ts)
    t.join();
}
