// Copying a thread's results into a shared vector under the lock is the short merge, not CPU work.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <vector>

std::mutex m;
std::vector<double> all;

void work(int n) {
  std::vector<double> mine;
#ifdef FIXED
  for (int i = 0; i < n; i++)
    mine.push_back(i * 1.5);
#endif
  std::lock_guard<std::mutex> g(m);
#ifndef FIXED
  for (int i = 0; i < n; i++)
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'm', which every instance of thread 'work' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    mine.push_back(i * 1.5);
#endif
  for (double d : mine)
    all.push_back(d);
}

int main(int argc, char **) {
  std::vector<std::thread> ts;
  for (int k = 0; k < 4; k++)
    ts.emplace_back(work, argc * 1000);
  for (auto &t : ts)
    t.join();
  return all.empty();
}
