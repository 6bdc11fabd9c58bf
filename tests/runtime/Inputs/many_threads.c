/* 1000 short-lived threads, at most 50 alive at a time, each taking a shared
 * mutex once: the thread table is reused and every thread is recorded. */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t M = PTHREAD_MUTEX_INITIALIZER;
static long Counter;

static void *worker(void *arg) {
  pthread_mutex_lock(&M);
  ++Counter;
  pthread_mutex_unlock(&M);
  return arg;
}

int main(void) {
  pthread_t t[50];
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 50; ++i)
      if (pthread_create(&t[i], NULL, worker, NULL) != 0)
        return 1;
    for (int i = 0; i < 50; ++i)
      pthread_join(t[i], NULL);
  }
  printf("threads: %ld\n", Counter);
  return 0;
}
