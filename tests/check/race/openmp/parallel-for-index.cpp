// C++ `parallel for`: out[i] = in[i] touches disjoint elements; out[i] += out[i - 1] reads a neighbour's element.
// RUN: not %threadwise check %s -- -std=c++17 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -fopenmp -DFIXED | count 0
#include <omp.h>

constexpr int N = 256;
int in[N];
int out[N];

int main() {
  for (int i = 0; i < N; ++i)
    in[i] = i;
#pragma omp parallel for
  for (int i = 1; i < N; ++i)
#ifdef FIXED
    out[i] = in[i] + in[i - 1];
#else
    out[i] = in[i] + out[i - 1];
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'out' races with a concurrent read [threadwise-race-unprotected-write]
    // CHECK: note: conflicting read of 'out'
#endif
  return out[N - 1];
}
