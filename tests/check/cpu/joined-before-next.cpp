// Two different threads compute under one mutex at the same time; joined one before the next starts, they cannot.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <mutex>
#include <thread>

std::mutex m;
double table[1024];

void forward(int n) {
  std::lock_guard<std::mutex> g(m);
  for (int i = 0; i < n; i++)
    // CHECK-DAG: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'm', which thread 'backward' also holds while computing: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    table[i % 1024] += i * 0.5;
}

void backward(int n) {
  std::lock_guard<std::mutex> g(m);
  for (int i = n; i > 0; i--)
    // CHECK-DAG: :[[@LINE-1]]:3: warning: CPU-heavy loop runs while holding 'm', which thread 'forward' also holds while computing: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
    table[i % 1024] -= i * 0.25;
}

int main(int argc, char **) {
  std::thread a(forward, argc * 1000000);
#ifdef FIXED
  a.join();
#endif
  std::thread b(backward, argc * 1000000);
#ifndef FIXED
  a.join();
#endif
  b.join();
  return table[0] > 0;
}
