/* Another preload library whose constructor uses interposed functions before
 * threadwise's constructor has run (threadwise puts itself first in
 * LD_PRELOAD, so this one is initialised earlier): every wrapper must resolve
 * lazily and pass through. */
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t M = PTHREAD_MUTEX_INITIALIZER;

static void *noop(void *arg) { return arg; }

__attribute__((constructor)) static void early(void) {
  pthread_mutex_lock(&M);
  pthread_mutex_unlock(&M);
  struct timespec ts = {0, 1000000};
  nanosleep(&ts, NULL);
  pthread_t t;
  if (pthread_create(&t, NULL, noop, NULL) == 0)
    pthread_join(t, NULL);
  const char msg[] = "early: ok\n";
  (void)!write(2, msg, strlen(msg));
}
