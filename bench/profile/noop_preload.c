/* The interposition floor: a preload library whose pthread_mutex_lock, read
 * and write only forward to the real ones (resolved once). What any
 * LD_PRELOAD wrapper costs before it records anything; run.sh reports
 * threadwise's lock and I/O workloads next to it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <unistd.h>

static int (*real_lock)(pthread_mutex_t *);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_write)(int, const void *, size_t);

__attribute__((constructor)) static void init(void) {
  real_lock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
  real_read = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
  real_write = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
}

int pthread_mutex_lock(pthread_mutex_t *m) { return real_lock(m); }
ssize_t read(int fd, void *buf, size_t n) { return real_read(fd, buf, n); }
ssize_t write(int fd, const void *buf, size_t n) { return real_write(fd, buf, n); }
