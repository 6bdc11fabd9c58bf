// `sum += a[i]` in `parallel for` races on sum; reduction(+ : sum) gives each thread a private copy.
// RUN: not %threadwise check %s -- -std=c11 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -fopenmp -DFIXED | count 0
#include <omp.h>
#include <stdio.h>

#define N 1000

int main(void) {
  int a[N];
  for (int i = 0; i < N; i++)
    a[i] = i;
  long sum = 0;
#ifdef FIXED
#pragma omp parallel for reduction(+ : sum)
#else
#pragma omp parallel for
#endif
  for (int i = 0; i < N; i++)
    sum += a[i];
  // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'sum' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'sum'
  printf("%ld\n", sum);
  return 0;
}
