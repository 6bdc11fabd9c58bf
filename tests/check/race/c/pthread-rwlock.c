// C: a write under pthread_rwlock_rdlock is a race; under pthread_rwlock_wrlock it is protected.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stddef.h>

int config_version;
pthread_rwlock_t config_lock = PTHREAD_RWLOCK_INITIALIZER;

static void *reload(void *arg) {
  (void)arg;
#ifdef FIXED
  pthread_rwlock_wrlock(&config_lock);
#else
  pthread_rwlock_rdlock(&config_lock);
#endif
  config_version++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'config_version' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'config_version'
  pthread_rwlock_unlock(&config_lock);
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, reload, NULL);
  pthread_create(&b, NULL, reload, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
