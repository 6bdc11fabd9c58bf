// 8 threads per core (a multiple of hardware_concurrency()) of CPU work oversubscribe any machine; one per core does not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>
#include <vector>

static void hash_block(unsigned long *out) {
  unsigned long h = 0;
  for (unsigned long i = 0; i < 100000000; i++)
    h = h * 1000003UL ^ i;
  *out = h;
}

int main() {
#ifndef FIXED
  unsigned n = 8 * std::thread::hardware_concurrency();
#else
  unsigned n = std::thread::hardware_concurrency();
  if (n == 0)
    n = 2;
#endif
  std::vector<unsigned long> out(n);
  std::vector<std::thread> ts;
  for (unsigned k = 0; k < n; k++)
    ts.emplace_back(hash_block, &out[k]);
  // CHECK: :[[@LINE-1]]:5: warning: 8 per core instances of CPU-bound thread 'hash_block' may run at once, more than 4 per core: the threads take turns on the cores instead of running in parallel [threadwise-cpu-oversubscribed-threads]
  for (auto &t : ts)
    t.join();
}
