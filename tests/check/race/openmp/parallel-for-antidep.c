// DataRaceBench-style anti-dependence: a[i] = a[i + 1] in `parallel for` races; a[i] = b[i] does not.
// RUN: not %threadwise check %s -- -std=c11 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -fopenmp -DFIXED | count 0
#include <omp.h>

#define N 1000

int main(void) {
  int a[N + 1];
  int b[N + 1];
  for (int i = 0; i <= N; i++) {
    a[i] = i;
    b[i] = i + 1;
  }
#pragma omp parallel for
  for (int i = 0; i < N; i++)
#ifdef FIXED
    a[i] = b[i];
#else
    a[i] = a[i + 1];
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'a' races with a concurrent read [threadwise-race-unprotected-write]
    // CHECK: note: conflicting read of 'a'
#endif
  return a[0];
}
