// Readers computing under a shared (reader) lock run in parallel; under the exclusive lock they do not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <vector>

std::shared_mutex rw;
double model[1000];

void evaluate(int rounds, double *out) {
#ifndef FIXED
  std::unique_lock<std::shared_mutex> g(rw);
#else
  std::shared_lock<std::shared_mutex> g(rw);
#endif
  double s = 0;
  for (int r = 0; r < rounds; r++)
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'rw', which every instance of thread 'evaluate' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    for (int i = 0; i < 1000; i++)
      s += model[i] * r;
  *out = s;
}

int main(int argc, char **) {
  double results[4];
  std::vector<std::thread> ts;
  for (int k = 0; k < 4; k++)
    ts.emplace_back(evaluate, argc * 100, &results[k]);
  for (auto &t : ts)
    t.join();
  return results[0] > 0;
}
