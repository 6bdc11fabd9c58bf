// C: a detached pthread is never joined, so main's later write races with the thread's read.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <pthread.h>
#include <stdio.h>

const char *greeting = "hello";

static void *greeter(void *arg) {
  (void)arg;
  puts(greeting);
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, greeter, NULL);
#ifdef FIXED
  pthread_join(t, NULL);
#else
  pthread_detach(t);
#endif
  greeting = "bye";
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'greeting' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'greeting'
  pthread_exit(NULL);
}
