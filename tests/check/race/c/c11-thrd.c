// C11 threads: thrd_create/thrd_join; main's read before thrd_join races with the thread's write.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <stdio.h>
#include <threads.h>

int lines_read;

static int reader(void *arg) {
  (void)arg;
  for (int i = 0; i < 10; i++)
    lines_read++;
  // CHECK: :[[@LINE-1]]:5: warning: unprotected write to shared variable 'lines_read' races with a concurrent read [threadwise-race-unprotected-write]
  // CHECK: note: conflicting read of 'lines_read'
  return 0;
}

int main(void) {
  thrd_t t;
  thrd_create(&t, reader, NULL);
#ifdef FIXED
  thrd_join(t, NULL);
#endif
  printf("%d\n", lines_read);
#ifndef FIXED
  thrd_join(t, NULL);
#endif
  return 0;
}
