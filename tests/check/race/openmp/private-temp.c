// A temporary declared outside `parallel for` is shared by all threads unless it is private.
// RUN: not %threadwise check %s -- -std=c11 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -fopenmp -DFIXED | count 0
#include <omp.h>

#define N 100

int main(void) {
  int in[N], out[N];
  for (int i = 0; i < N; i++)
    in[i] = i;
  int tmp;
#ifdef FIXED
#pragma omp parallel for private(tmp)
#else
#pragma omp parallel for
#endif
  for (int i = 0; i < N; i++) {
    tmp = in[i] * 2;
    // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'tmp' races with a concurrent {{read|write}} [threadwise-race-unprotected-write]
    // CHECK: note: conflicting {{read|write}} of 'tmp'
    out[i] = tmp + 1;
  }
  return out[N - 1];
}
