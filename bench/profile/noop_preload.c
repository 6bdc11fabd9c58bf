/* The interposition floor: a preload library whose pthread_mutex_lock only
 * forwards to the real one (resolved once). What any LD_PRELOAD wrapper costs
 * before it records anything; run.sh reports threadwise next to it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>

static int (*real_lock)(pthread_mutex_t *);

__attribute__((constructor)) static void init(void) {
  real_lock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
}

int pthread_mutex_lock(pthread_mutex_t *m) { return real_lock(m); }
