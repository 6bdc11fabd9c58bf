// 100 CPU-bound threads started in a loop overlap unless each is joined before the next starts (then they run one at a time by design).
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>
#include <vector>

static double out[100];

static void simulate(int step) {
  double x = step;
  for (int i = 0; i < 10000000; i++)
    x = x * 0.999 + 1.0;
  out[step] = x;
}

int main() {
#ifndef FIXED
  std::vector<std::thread> ts;
  for (int step = 0; step < 100; step++)
    ts.emplace_back(simulate, step);
  // CHECK: :[[@LINE-1]]:5: warning: 100 instances of CPU-bound thread 'simulate' may run at once
  for (auto &t : ts)
    t.join();
#else
  for (int step = 0; step < 100; step++) {
    std::thread t(simulate, step);
    t.join();
  }
#endif
}
