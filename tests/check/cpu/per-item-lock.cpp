// Each thread locks the mutex of its own slot (&slots[i]): a per-item lock does not serialize.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>
#include <vector>

struct Slot {
  std::mutex m;
  long value = 0;
};

std::mutex global;
Slot slots[4];

void fill(Slot *s, int n) {
#ifndef FIXED
  std::lock_guard<std::mutex> g(global);
#else
  std::lock_guard<std::mutex> g(s->m);
#endif
  for (int i = 0; i < n; i++)
    // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'global', which every instance of thread 'fill' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    s->value += (i * 7) % 13;
}

int main(int argc, char **) {
  std::vector<std::thread> ts;
  for (int k = 0; k < 4; k++)
    ts.emplace_back(fill, &slots[k], argc * 100000);
  for (auto &t : ts)
    t.join();
  return slots[0].value == 0;
}
