// A cpu-heavy API from the rule packs (std::sort) called under a shared lock.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

std::mutex m;
std::vector<std::vector<int>> results;

void worker(std::vector<int> chunk) {
#ifndef FIXED
  std::lock_guard<std::mutex> g(m);
  std::sort(chunk.begin(), chunk.end());
  // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy call to 'std::sort' runs while holding 'm', which every instance of thread 'worker' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
  results.push_back(chunk);
#else
  std::sort(chunk.begin(), chunk.end());
  std::lock_guard<std::mutex> g(m);
  results.push_back(chunk);
#endif
}

int main() {
  std::vector<std::thread> ts;
  for (int k = 0; k < 4; k++)
    ts.emplace_back(worker, std::vector<int>(100000, k));
  for (auto &t : ts)
    t.join();
  return results.size() != 4;
}
