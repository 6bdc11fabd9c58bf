// The thread entry takes the lock and calls a helper whose loop nest does the work.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <vector>

std::mutex m;
long best;

long score(int n) {
  long s = 0;
  for (int i = 0; i < n; i++)
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'm', which every instance of thread 'search' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    // CHECK: note: the loop is a loop nest 2 deep
    // CHECK: note: 'score' called from 'search' here
    for (int j = 0; j < n; j++)
      s += (i * j) % 7;
  return s;
}

void search(int n) {
#ifndef FIXED
  std::lock_guard<std::mutex> g(m);
  long s = score(n);
#else
  long s = score(n);
  std::lock_guard<std::mutex> g(m);
#endif
  if (s > best)
    best = s;
}

int main() {
  std::vector<std::thread> ts;
  for (int k = 0; k < 4; k++)
    ts.emplace_back(search, 2000 + k);
  for (auto &t : ts)
    t.join();
  return best == 0;
}
