// OpenMP lock routines: omp_set_lock/omp_unset_lock protect the update between them.
// RUN: not %threadwise check %s -- -std=c11 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -fopenmp -DFIXED | count 0
#include <omp.h>

int histogram[10];

int main(void) {
  omp_lock_t lock;
  omp_init_lock(&lock);
#pragma omp parallel for
  for (int i = 0; i < 1000; i++) {
#ifdef FIXED
    omp_set_lock(&lock);
#endif
    histogram[i % 10]++;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'histogram' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'histogram'
#ifdef FIXED
    omp_unset_lock(&lock);
#endif
  }
  omp_destroy_lock(&lock);
  return histogram[0];
}
