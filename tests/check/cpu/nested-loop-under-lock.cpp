// Threads started in a loop run a nested loop while holding one global mutex.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <vector>

std::mutex m;
long total;

void worker(int rows, int cols) {
#ifndef FIXED
  std::lock_guard<std::mutex> g(m);
  for (int i = 0; i < rows; i++) {
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'm', which every instance of thread 'worker' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    // CHECK: note: the loop is a loop nest 2 deep
    // CHECK: note: thread 'worker' started here; several instances may run at once
    // CHECK: note: compute into a local result and merge it under 'm'
    for (int j = 0; j < cols; j++)
      total += i ^ j;
  }
#else
  long local = 0;
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++)
      local += i ^ j;
  std::lock_guard<std::mutex> g(m);
  total += local;
#endif
}

int main() {
  std::vector<std::thread> ts;
  for (int k = 0; k < 4; k++)
    ts.emplace_back(worker, 1000, 1000);
  for (auto &t : ts)
    t.join();
  return total == 0;
}
