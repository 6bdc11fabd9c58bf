// C++ OpenMP parallel region updating a field of a local struct; `omp critical` serialises it.
// RUN: not %threadwise check %s -- -std=c++17 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -fopenmp -DFIXED | count 0
#include <omp.h>

struct Census {
  int threads = 0;
};

int main() {
  Census census;
#pragma omp parallel
  {
#ifdef FIXED
#pragma omp critical
#endif
    census.threads += 1;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'Census::threads' races with a concurrent write [threadwise-race-unprotected-write]
    // CHECK: note: conflicting write of 'Census::threads'
  }
  return census.threads > 0 ? 0 : 1;
}
