/*===- locks.c - Contended mutex/rwlock/semaphore waits, cond and GIL ----===*
 *
 * Only a wait that can block is timed: the wrappers peek at the lock word or
 * semaphore count first and take the plain path when it is free, so an
 * uncontended mutex lock costs one extra call, one load and a branch. C11
 * mtx_lock/cnd_wait in glibc >= 2.34 call the pthread functions through
 * internal aliases, not the PLT, so they are not seen here (documented in
 * docs/runtime.md "Limits"); the /proc sampler still sees those threads block.
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "tw_preload.h"
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <time.h>

#define TW_RA __builtin_return_address(0)
#define TW_RESOLVE(var, name, ver)                                                                 \
  do {                                                                                             \
    if (TW_UNLIKELY(!var))                                                                         \
      var = (__typeof__(var))tw_real(name, ver);                                                   \
  } while (0)

static int (*real_mutex_lock)(pthread_mutex_t *);
static int (*real_mutex_timedlock)(pthread_mutex_t *, const struct timespec *);
static int (*real_rdlock)(pthread_rwlock_t *);
static int (*real_tryrdlock)(pthread_rwlock_t *);
static int (*real_wrlock)(pthread_rwlock_t *);
static int (*real_trywrlock)(pthread_rwlock_t *);
static int (*real_cond_wait)(pthread_cond_t *, pthread_mutex_t *);
static int (*real_cond_timedwait)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
static int (*real_cond_clockwait)(pthread_cond_t *, pthread_mutex_t *, clockid_t,
                                  const struct timespec *);
static int (*real_sem_wait)(sem_t *);
static int (*real_sem_timedwait)(sem_t *, const struct timespec *);
static int (*real_sem_clockwait)(sem_t *, clockid_t, const struct timespec *);
static int (*real_join)(pthread_t, void **);
static int (*real_sem_getvalue)(sem_t *, int *);

__attribute__((constructor(101))) static void tw_locks_resolve(void) {
  TW_RESOLVE(real_mutex_lock, "pthread_mutex_lock", NULL);
  TW_RESOLVE(real_mutex_timedlock, "pthread_mutex_timedlock", NULL);
  TW_RESOLVE(real_rdlock, "pthread_rwlock_rdlock", NULL);
  TW_RESOLVE(real_tryrdlock, "pthread_rwlock_tryrdlock", NULL);
  TW_RESOLVE(real_wrlock, "pthread_rwlock_wrlock", NULL);
  TW_RESOLVE(real_trywrlock, "pthread_rwlock_trywrlock", NULL);
  /* The unversioned lookup may return the pre-2.3.2 condvar ABI. */
  TW_RESOLVE(real_cond_wait, "pthread_cond_wait", "GLIBC_2.3.2");
  TW_RESOLVE(real_cond_timedwait, "pthread_cond_timedwait", "GLIBC_2.3.2");
  TW_RESOLVE(real_cond_clockwait, "pthread_cond_clockwait", NULL);
  TW_RESOLVE(real_sem_wait, "sem_wait", NULL);
  TW_RESOLVE(real_sem_timedwait, "sem_timedwait", NULL);
  TW_RESOLVE(real_sem_clockwait, "sem_clockwait", NULL);
  TW_RESOLVE(real_join, "pthread_join", NULL);
  TW_RESOLVE(real_sem_getvalue, "sem_getvalue", NULL);
}

/* A semaphore with a positive count will not block: wait untimed. */
static int tw_sem_available(sem_t *s) {
  int v = 0;
  return real_sem_getvalue && real_sem_getvalue(s, &v) == 0 && v > 0;
}

static __thread pid_t tw_tid_cache __attribute__((tls_model("initial-exec")));

/* A lock word that is not free: is this contention, or a recursive relock by
 * the owner (or an error-checking mutex's EDEADLK)? glibc's x86-64
 * pthread_mutex_t exposes the owner's tid (bits/struct_mutex.h, a stable ABI). */
static int tw_mutex_held_by_other(pthread_mutex_t *m) {
  if (!tw_tid_cache)
    tw_tid_cache = tw_gettid();
  return __atomic_load_n(&m->__data.__owner, __ATOMIC_RELAXED) != tw_tid_cache;
}

/* Everything but the free-lock case: start-up before the real function is
 * resolved, profiling off, and the timed wait. Out of line, so the fast path
 * below needs no stack frame and ends in a tail call. */
__attribute__((noinline)) static int tw_mutex_lock_slow(pthread_mutex_t *m, const void *ra) {
  TW_RESOLVE(real_mutex_lock, "pthread_mutex_lock", NULL);
  if (TW_UNLIKELY(!real_mutex_lock))
    return 0; /* only reachable inside dlsym during start-up: single-threaded */
  if (!tw_enabled || !tw_mutex_held_by_other(m))
    return real_mutex_lock(m);
  uint64_t st = tw_stack_here(); /* the holder runs meanwhile: not in a critical section */
  uint64_t t0 = tw_now();
  int r = real_mutex_lock(m);
  tw_note_stack(TW_LOCK, t0, tw_now(), ra, m, st);
  return r;
}

/* Fast path: a free lock word means the lock is (almost surely) uncontended:
 * call the real lock and record nothing. One load and a tail call, where a
 * trylock first would cost ~20 ns more than the lock itself. */
TW_EXPORT int pthread_mutex_lock(pthread_mutex_t *m) {
  int (*real)(pthread_mutex_t *) = real_mutex_lock;
  if (TW_LIKELY(real != NULL) && TW_LIKELY(__atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) == 0))
    return real(m);
  return tw_mutex_lock_slow(m, TW_RA);
}

TW_EXPORT int pthread_mutex_timedlock(pthread_mutex_t *m, const struct timespec *abstime) {
  TW_RESOLVE(real_mutex_timedlock, "pthread_mutex_timedlock", NULL);
  if (!tw_enabled || __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) == 0 ||
      !tw_mutex_held_by_other(m))
    return real_mutex_timedlock(m, abstime);
  uint64_t st = tw_stack_here();
  uint64_t t0 = tw_now();
  int r = real_mutex_timedlock(m, abstime);
  tw_note_stack(TW_LOCK, t0, tw_now(), TW_RA, m, st);
  return r;
}

TW_EXPORT int pthread_rwlock_rdlock(pthread_rwlock_t *l) {
  TW_RESOLVE(real_rdlock, "pthread_rwlock_rdlock", NULL);
  TW_RESOLVE(real_tryrdlock, "pthread_rwlock_tryrdlock", NULL);
  if (!tw_enabled)
    return real_rdlock(l);
  int r = real_tryrdlock(l);
  if (r != EBUSY)
    return r;
  uint64_t st = tw_stack_here();
  uint64_t t0 = tw_now();
  r = real_rdlock(l);
  tw_note_stack(TW_LOCK, t0, tw_now(), TW_RA, l, st);
  return r;
}

TW_EXPORT int pthread_rwlock_wrlock(pthread_rwlock_t *l) {
  TW_RESOLVE(real_wrlock, "pthread_rwlock_wrlock", NULL);
  TW_RESOLVE(real_trywrlock, "pthread_rwlock_trywrlock", NULL);
  if (!tw_enabled)
    return real_wrlock(l);
  int r = real_trywrlock(l);
  if (r != EBUSY)
    return r;
  uint64_t st = tw_stack_here();
  uint64_t t0 = tw_now();
  r = real_wrlock(l);
  tw_note_stack(TW_LOCK, t0, tw_now(), TW_RA, l, st);
  return r;
}

/* A condition wait from the interpreter's module is a GIL wait (python.c). An
 * untimed one there is drop_gil()'s wait on switch_cond: a forced switch. */
static void tw_cond_note(uint64_t t0, const void *ra, const void *cond, int timed) {
  uint64_t t1 = tw_now();
  if (tw_in_interpreter(ra)) {
    if (!timed)
      tw_note_gil_drop();
    tw_note(TW_GIL, t0, t1, ra, cond);
  } else {
    tw_note(TW_WAIT, t0, t1, ra, cond);
  }
}

TW_EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m) {
  TW_RESOLVE(real_cond_wait, "pthread_cond_wait", "GLIBC_2.3.2");
  if (!tw_enabled)
    return real_cond_wait(c, m);
  uint64_t t0 = tw_now();
  int r = real_cond_wait(c, m);
  tw_cond_note(t0, TW_RA, c, 0);
  return r;
}

TW_EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                                     const struct timespec *abstime) {
  TW_RESOLVE(real_cond_timedwait, "pthread_cond_timedwait", "GLIBC_2.3.2");
  if (!tw_enabled)
    return real_cond_timedwait(c, m, abstime);
  uint64_t t0 = tw_now();
  int r = real_cond_timedwait(c, m, abstime);
  tw_cond_note(t0, TW_RA, c, 1);
  return r;
}

TW_EXPORT int pthread_cond_clockwait(pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk,
                                     const struct timespec *abstime) {
  TW_RESOLVE(real_cond_clockwait, "pthread_cond_clockwait", NULL);
  if (!tw_enabled)
    return real_cond_clockwait(c, m, clk, abstime);
  uint64_t t0 = tw_now();
  int r = real_cond_clockwait(c, m, clk, abstime);
  tw_cond_note(t0, TW_RA, c, 1);
  return r;
}

/* Python's threading.Lock (and so Queue, Event, join) waits in sem_*. */
TW_EXPORT int sem_wait(sem_t *s) {
  TW_RESOLVE(real_sem_wait, "sem_wait", NULL);
  if (!tw_enabled)
    return real_sem_wait(s);
  if (tw_sem_available(s))
    return real_sem_wait(s);
  uint64_t st = tw_stack_here();
  uint64_t t0 = tw_now();
  int r = real_sem_wait(s);
  int e = errno;
  tw_note_stack(TW_LOCK, t0, tw_now(), TW_RA, s, st);
  errno = e;
  return r;
}

TW_EXPORT int sem_timedwait(sem_t *s, const struct timespec *abstime) {
  TW_RESOLVE(real_sem_timedwait, "sem_timedwait", NULL);
  if (!tw_enabled)
    return real_sem_timedwait(s, abstime);
  if (tw_sem_available(s))
    return real_sem_timedwait(s, abstime);
  uint64_t st = tw_stack_here();
  uint64_t t0 = tw_now();
  int r = real_sem_timedwait(s, abstime);
  int e = errno;
  tw_note_stack(TW_LOCK, t0, tw_now(), TW_RA, s, st);
  errno = e;
  return r;
}

TW_EXPORT int sem_clockwait(sem_t *s, clockid_t clk, const struct timespec *abstime) {
  TW_RESOLVE(real_sem_clockwait, "sem_clockwait", NULL);
  if (!tw_enabled)
    return real_sem_clockwait(s, clk, abstime);
  if (tw_sem_available(s))
    return real_sem_clockwait(s, clk, abstime);
  uint64_t st = tw_stack_here();
  uint64_t t0 = tw_now();
  int r = real_sem_clockwait(s, clk, abstime);
  int e = errno;
  tw_note_stack(TW_LOCK, t0, tw_now(), TW_RA, s, st);
  errno = e;
  return r;
}

TW_EXPORT int pthread_join(pthread_t th, void **ret) {
  TW_RESOLVE(real_join, "pthread_join", NULL);
  if (!tw_enabled)
    return real_join(th, ret);
  uint64_t t0 = tw_now();
  int r = real_join(th, ret);
  tw_note(TW_WAIT, t0, tw_now(), TW_RA, (const void *)th);
  return r;
}
