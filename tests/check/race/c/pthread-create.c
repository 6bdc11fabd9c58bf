// C11 with pthreads: one start routine run by two threads increments a global.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <pthread.h>
#include <stddef.h>

long total;
pthread_mutex_t total_mutex = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
  (void)arg;
#ifdef FIXED
  pthread_mutex_lock(&total_mutex);
#endif
  total++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'total' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'total'
#ifdef FIXED
  pthread_mutex_unlock(&total_mutex);
#endif
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, worker, NULL);
  pthread_create(&b, NULL, worker, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return total == 2 ? 0 : 1;
}
