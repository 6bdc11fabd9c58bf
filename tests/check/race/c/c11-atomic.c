// C11 _Atomic: increments of an _Atomic int are not data races; of a plain int they are.
// RUN: not %threadwise check %s -- -std=c11 | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -DFIXED | count 0
#include <threads.h>

#ifdef FIXED
_Atomic int refcount;
#else
int refcount;
#endif

static int retain(void *arg) {
  (void)arg;
  refcount++;
  // CHECK: :[[@LINE-1]]:3: warning: unprotected write to shared variable 'refcount' races with a concurrent write [threadwise-race-unprotected-write]
  // CHECK: note: conflicting write of 'refcount'
  return 0;
}

int main(void) {
  thrd_t a, b;
  thrd_create(&a, retain, NULL);
  thrd_create(&b, retain, NULL);
  thrd_join(a, NULL);
  thrd_join(b, NULL);
  return refcount == 2 ? 0 : 1;
}
