// DataRaceBench-style: the inner loop index declared outside `parallel for` is shared (only the outer index is private).
// RUN: not %threadwise check %s -- -std=c11 -fopenmp | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -fopenmp -DFIXED | count 0
#include <omp.h>

#define N 50

double grid[N][N];

int main(void) {
  int i, j;
#ifdef FIXED
#pragma omp parallel for private(j)
#else
#pragma omp parallel for
#endif
  for (i = 0; i < N; i++)
    for (j = 0; j < N; j++)
      grid[i][j] = i + j;
  // Both writes of j (j = 0 and j++) race, so each is reported.
  // CHECK: :[[@LINE-3]]:{{[0-9]+}}: warning: unprotected write to shared variable 'j' races with a concurrent {{read|write}} [threadwise-race-unprotected-write]
  // CHECK: :[[@LINE-4]]:{{[0-9]+}}: warning: unprotected write to shared variable 'j' races with a concurrent {{read|write}} [threadwise-race-unprotected-write]
  return (int)grid[N - 1][N - 1];
}
