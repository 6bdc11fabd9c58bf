// C: 128 pthreads computing Mandelbrot rows oversubscribe; get_nprocs() of them do not.
// RUN: not %threadwise check %s -- -std=c11 -D_GNU_SOURCE | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -D_GNU_SOURCE -DFIXED | count 0
#include <pthread.h>
#include <stdlib.h>
#include <sys/sysinfo.h>

struct band { int first, step; long inside; };

static void *render(void *arg) {
  struct band *b = arg;
  for (int row = b->first; row < 4096; row += b->step)
    for (int col = 0; col < 4096; col++) {
      double x = 0, y = 0, cx = col / 1024.0 - 2, cy = row / 2048.0 - 1;
      int it = 0;
      while (x * x + y * y < 4 && it < 256) {
        double t = x * x - y * y + cx;
        y = 2 * x * y + cy;
        x = t;
        it++;
      }
      b->inside += it == 256;
    }
  return NULL;
}

int main(void) {
#ifndef FIXED
  int n = 128;
#else
  int n = get_nprocs();
#endif
  pthread_t *t = malloc(n * sizeof *t);
  struct band *b = calloc(n, sizeof *b);
  for (int k = 0; k < n; k++) {
    b[k].first = k;
    b[k].step = n;
  }
  for (int k = 0; k < n; k++)
    pthread_create(&t[k], NULL, render, &b[k]);
  // CHECK: :[[@LINE-1]]:5: warning: 128 instances of CPU-bound thread 'render' may run at once
  for (int k = 0; k < n; k++)
    pthread_join(t[k], NULL);
  free(t);
  free(b);
  return 0;
}
