// 64 CPU-bound std::threads at once are far more than a typical machine's cores; a pool sized by hardware_concurrency() is not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>
#include <vector>

double partial[64];

void integrate(int part, int parts) {
  double sum = 0;
  for (long i = part; i < 400000000; i += parts)
    sum += 1.0 / (1.0 + i * 0.5);
  partial[part] = sum;
}

int main() {
#ifndef FIXED
  const int workers = 64;
#else
  const int workers = static_cast<int>(std::thread::hardware_concurrency());
#endif
  std::vector<std::thread> ts;
  for (int k = 0; k < workers; k++)
    ts.emplace_back(integrate, k, workers);
  // CHECK: :[[@LINE-1]]:5: warning: 64 instances of CPU-bound thread 'integrate' may run at once, more than 4 per core on a 8-core machine: the threads take turns on the cores instead of running in parallel [threadwise-cpu-oversubscribed-threads]
  // CHECK: :11:3: note: 'integrate' computes here: heavy loop (computes in an unbounded loop)
  // CHECK: note: start std::thread::hardware_concurrency() threads (or use a pool of that size) and divide the work among them
  for (auto &t : ts)
    t.join();
}
