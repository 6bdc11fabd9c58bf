// A running maximum updated in `parallel for` races unless the update is in `omp critical`.
// RUN: not %threadwise check %s -- -std=c11 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -fopenmp -DFIXED | count 0
#include <omp.h>

#define N 1000

int main(void) {
  int a[N];
  for (int i = 0; i < N; i++)
    a[i] = (i * 7919) % N;
  int max = 0;
#pragma omp parallel for
  for (int i = 0; i < N; i++) {
#ifdef FIXED
#pragma omp critical
#endif
    {
      if (a[i] > max)
        max = a[i];
      // CHECK: :[[@LINE-1]]:9: warning: unprotected write to shared variable 'max' races with a concurrent {{read|write}} [threadwise-race-unprotected-write]
      // CHECK: note: conflicting {{read|write}} of 'max'
    }
  }
  return max;
}
