// OpenMP: num_threads(256) on a computing region starts 256 threads; the default team (one per core) does not.
// RUN: not %threadwise check %s -- -std=c11 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -fopenmp -DFIXED | count 0
#include <omp.h>

static double area[256];

int main(void) {
#ifndef FIXED
#pragma omp parallel num_threads(256)
  // CHECK: :[[@LINE-1]]:1: warning: 256 instances of CPU-bound thread 'OpenMP parallel region' may run at once
#else
#pragma omp parallel
#endif
  {
    int id = omp_get_thread_num();
    double s = 0;
    for (long i = 0; i < 10000000; i++)
      s += 4.0 / (1.0 + (i + 0.5) * (i + 0.5) * 1e-14);
    area[id] = s;
  }
  return 0;
}
