// C11: thrd_create for every line read from stdin (a while loop) starts one CPU-bound thread per item; at most four lines, each thread joined before the next starts, do not.
// RUN: not %threadwise check %s -- -std=c11 -D_GNU_SOURCE | FileCheck %s --implicit-check-not="warning:"
// RUN: %threadwise check %s -- -std=c11 -D_GNU_SOURCE -DFIXED | count 0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

static unsigned long digest(const char *s) {
  unsigned long h = 5381;
  for (int round = 0; round < 100000; round++)
    for (const char *p = s; *p; p++)
      h = h * 33 ^ (unsigned char)*p;
  return h;
}

static int hash_line(void *arg) {
  char *line = arg;
  printf("%lu\n", digest(line));
  free(line);
  return 0;
}

int main(void) {
  char buf[256];
  thrd_t t[4];
#ifndef FIXED
  int n = 0;
  while (fgets(buf, sizeof buf, stdin) && n < 4) {
    thrd_create(&t[n], hash_line, strdup(buf));
    // CHECK: :[[@LINE-1]]:5: warning: one instance per item of CPU-bound thread 'hash_line' may run at once
    n++;
  }
  for (int k = 0; k < n; k++)
    thrd_join(t[k], NULL);
#else
  for (int k = 0; k < 4; k++) {
    if (!fgets(buf, sizeof buf, stdin))
      break;
    thrd_create(&t[k], hash_line, strdup(buf));
    thrd_join(t[k], NULL);
  }
#endif
  return 0;
}
