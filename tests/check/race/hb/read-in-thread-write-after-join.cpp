// The thread only reads; main's write after pthread_join() is ordered, before it is not.
// RUN: not %threadwise check %s -- -std=c++17 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c++17 -DFIXED | count 0
#include <cstdio>
#include <pthread.h>

const char *message = "hello";

void *printer(void *) {
  std::puts(message);
  return nullptr;
}

int main() {
  pthread_t t;
  pthread_create(&t, nullptr, printer, nullptr);
#ifdef FIXED
  pthread_join(t, nullptr);
#endif
  message = "bye";
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'message' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'message'
#ifndef FIXED
  pthread_join(t, nullptr);
#endif
}
