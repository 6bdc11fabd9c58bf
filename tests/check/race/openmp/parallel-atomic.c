// OpenMP parallel region: every thread bumps a shared global; `omp atomic` makes it race-free.
// RUN: not %threadwise check %s -- -std=c11 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -fopenmp -DFIXED | count 0
#include <omp.h>
#include <stdio.h>

int hits;

int main(void) {
#pragma omp parallel
  {
#ifdef FIXED
#pragma omp atomic
#endif
    hits++;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'hits' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'hits'
  }
  printf("%d threads\n", hits);
  return 0;
}
