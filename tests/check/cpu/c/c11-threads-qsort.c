// C11 threads: qsort (a cpu-heavy API) under a shared mtx_t.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <stdlib.h>
#include <threads.h>

static mtx_t m;
static int sorted_chunks;

static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static int sorter(void *arg) {
  int *chunk = arg;
#ifndef FIXED
  mtx_lock(&m);
  qsort(chunk, 100000, sizeof(int), cmp);
  // CHECK: :[[@LINE-1]]:3: warning: CPU-heavy call to 'qsort' runs while holding 'm', which every instance of thread 'sorter' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
#else
  qsort(chunk, 100000, sizeof(int), cmp);
  mtx_lock(&m);
#endif
  sorted_chunks++;
  mtx_unlock(&m);
  return 0;
}

static int data[4][100000];

int main(void) {
  thrd_t t[4];
  mtx_init(&m, mtx_plain);
  for (int k = 0; k < 4; k++)
    thrd_create(&t[k], sorter, data[k]);
  for (int k = 0; k < 4; k++)
    thrd_join(t[k], 0);
  return sorted_chunks != 4;
}
