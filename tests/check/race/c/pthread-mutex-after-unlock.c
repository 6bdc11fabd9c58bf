// C: the write after pthread_mutex_unlock() is outside the critical section.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <pthread.h>
#include <stddef.h>

int enqueued;
int wakeups;
pthread_mutex_t queue_mutex = PTHREAD_MUTEX_INITIALIZER;

static void *producer(void *arg) {
  (void)arg;
  pthread_mutex_lock(&queue_mutex);
  enqueued++;
#ifndef FIXED
  pthread_mutex_unlock(&queue_mutex);
#endif
  wakeups++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'wakeups' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'wakeups'
#ifdef FIXED
  pthread_mutex_unlock(&queue_mutex);
#endif
  return NULL;
}

int main(void) {
  pthread_t t[3];
  for (int i = 0; i < 3; i++)
    pthread_create(&t[i], NULL, producer, NULL);
  for (int i = 0; i < 3; i++)
    pthread_join(t[i], NULL);
  return 0;
}
