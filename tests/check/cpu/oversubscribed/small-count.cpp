// A handful of CPU-bound threads (4 lambdas) is no oversubscription; 128 is.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <thread>
#include <vector>

#ifndef FIXED
#define WORKERS 128
#else
#define WORKERS 4
#endif

int main() {
  std::vector<long> counts(WORKERS);
  std::vector<std::thread> ts;
  for (int k = 0; k < WORKERS; k++)
    ts.emplace_back([](long *out) {
      long c = 0;
      for (long n = 2; n < 200000; n++)
        for (long d = 2; d * d <= n; d++)
          if (n % d == 0) {
            c++;
            break;
          }
      *out = c;
    }, &counts[k]);
  // CHECK: :[[@LINE-10]]:5: warning: 128 instances of CPU-bound thread 'lambda at line 17' may run at once
  for (auto &t : ts)
    t.join();
}
