/* C11 threads: glibc's thrd_create reaches pthread_create through an internal
 * alias, so the wrapper does not see it; the threads are adopted at their first
 * interposed call (nanosleep here) and still get their own records. */
#include <stdio.h>
#include <threads.h>
#include <time.h>

static mtx_t M;

static int worker(void *arg) {
  for (int i = 0; i < 3; ++i) {
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
    mtx_lock(&M);
    mtx_unlock(&M);
  }
  return 0;
}

int main(void) {
  mtx_init(&M, mtx_plain);
  thrd_t t[2];
  for (int i = 0; i < 2; ++i)
    thrd_create(&t[i], worker, NULL);
  for (int i = 0; i < 2; ++i)
    thrd_join(t[i], NULL);
  puts("c11: done");
  return 0;
}
