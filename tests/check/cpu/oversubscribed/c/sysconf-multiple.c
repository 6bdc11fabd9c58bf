// C: sysconf(_SC_NPROCESSORS_ONLN) * 16 CPU-bound threads are 16 per core; sysconf(_SC_NPROCESSORS_ONLN) alone is one per core.
// RUN: not %threadwise check %s -- -std=c11 -D_GNU_SOURCE | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -D_GNU_SOURCE -DFIXED | count 0
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static void *series(void *arg) {
  double *slot = arg;
  double s = 0;
  for (long i = 1; i < 50000000; i++)
    s += 1.0 / ((double)i * i + 1);
  *slot = s;
  return 0;
}

int main(void) {
#ifndef FIXED
  long n = sysconf(_SC_NPROCESSORS_ONLN) * 16;
#else
  long n = sysconf(_SC_NPROCESSORS_ONLN);
#endif
  pthread_t *t = malloc(n * sizeof *t);
  double *sums = malloc(n * sizeof *sums);
  for (long k = 0; k < n; k++)
    pthread_create(&t[k], 0, series, &sums[k]);
  // CHECK: :[[@LINE-1]]:5: warning: 16 per core instances of CPU-bound thread 'series' may run at once, more than 4 per core
  for (long k = 0; k < n; k++)
    pthread_join(t[k], 0);
  free(t);
  free(sums);
  return 0;
}
