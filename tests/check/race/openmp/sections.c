// OpenMP sections run concurrently: a copy-paste bug makes both sections write the same variable.
// RUN: not %threadwise check %s -- -std=c11 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -fopenmp -DFIXED | count 0
#include <omp.h>

static long sum_range(int from, int to) {
  long s = 0;
  for (int i = from; i < to; i++)
    s += i;
  return s;
}

int main(void) {
  long low = 0, high = 0;
#pragma omp parallel sections
  {
#pragma omp section
    low = sum_range(0, 500);
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'low' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'low'
#pragma omp section
#ifdef FIXED
    high = sum_range(500, 1000);
#else
    low = sum_range(500, 1000);
#endif
  }
  return (int)(low + high);
}
