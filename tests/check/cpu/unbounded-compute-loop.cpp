// One loop with an unknown trip count that computes (multiplies) under a shared lock.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <vector>

std::mutex m;
double energy;

void simulate(int steps) {
#ifndef FIXED
  m.lock();
  for (int s = 0; s < steps; s++)
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'm', which every instance of thread 'simulate' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    // CHECK: note: the loop computes in an unbounded loop
    energy += s * 0.5 * s;
  m.unlock();
#else
  double local = 0;
  for (int s = 0; s < steps; s++)
    local += s * 0.5 * s;
  m.lock();
  energy += local;
  m.unlock();
#endif
}

int main(int argc, char **) {
  std::vector<std::thread> ts;
  for (int k = 0; k < 8; k++)
    ts.emplace_back(simulate, argc * 1000000);
  for (auto &t : ts)
    t.join();
  return energy > 0;
}
