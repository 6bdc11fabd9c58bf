// One worker computing under a lock that only the (waiting) main thread also takes runs alone by design.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <vector>

std::mutex m;
long primes;

void count_primes(int hi) {
  std::lock_guard<std::mutex> g(m);
  for (int n = 2; n < hi; n++) {
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'm', which every instance of thread 'count_primes' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    bool prime = true;
    for (int d = 2; d * d <= n; d++)
      if (n % d == 0)
        prime = false;
    primes += prime;
  }
}

int main(int argc, char **) {
#ifndef FIXED
  std::vector<std::thread> ts;
  for (int k = 0; k < 2; k++)
    ts.emplace_back(count_primes, argc * 100000);
  for (auto &t : ts)
    t.join();
#else
  std::thread t(count_primes, argc * 100000);
  t.join();
#endif
  return primes == 0;
}
