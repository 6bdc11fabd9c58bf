// C: pthreads computing a nested loop under one pthread mutex.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long long total;

static void *worker(void *arg) {
  int n = *(int *)arg;
  long long local = 0;
#ifndef FIXED
  pthread_mutex_lock(&lock);
#endif
  for (int i = 0; i < n; i++)
#ifndef FIXED
    // CHECK: :[[@LINE-2]]:3: warning: CPU-heavy loop runs while holding 'lock', which every instance of thread 'worker' takes: the threads run it one at a time [threadwise-cpu-serialized-by-lock]
#endif
    for (int j = 0; j < n; j++)
      local += (long long)i * j;
#ifdef FIXED
  pthread_mutex_lock(&lock);
#endif
  total += local;
  pthread_mutex_unlock(&lock);
  return 0;
}

int main(void) {
  pthread_t t[4];
  int n = 3000;
  for (int k = 0; k < 4; k++)
    pthread_create(&t[k], 0, worker, &n);
  for (int k = 0; k < 4; k++)
    pthread_join(t[k], 0);
  return total == 0;
}
