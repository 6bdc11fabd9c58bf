// A write under pthread_rwlock_rdlock races with another such write; under wrlock it does not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <pthread.h>

int generation;
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

void *refresh(void *) {
#ifdef FIXED
  pthread_rwlock_wrlock(&rw);
#else
  pthread_rwlock_rdlock(&rw);
#endif
  generation++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'generation' races with a concurrent {{read|write}} [threadwise-race-unprotected-write]
  // CHECK: note: conflicting {{read|write}} of 'generation'
  pthread_rwlock_unlock(&rw);
  return nullptr;
}

void *peek(void *) {
  pthread_rwlock_rdlock(&rw);
  int seen = generation;
  pthread_rwlock_unlock(&rw);
  return seen ? &rw : nullptr;
}

int main() {
  pthread_t a, b, c;
  pthread_create(&a, nullptr, refresh, nullptr);
  pthread_create(&b, nullptr, refresh, nullptr);
  pthread_create(&c, nullptr, peek, nullptr);
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
  pthread_join(c, nullptr);
}
