/*===- threads.c - Thread lifetimes: wrap every pthread_create ----------===*
 *
 * The start routine is wrapped so the new thread claims its slot before user
 * code runs; its totals are written by a pthread key destructor, which runs on
 * every way out of a thread (return, pthread_exit, cancellation). The wrapper's
 * (fn, arg) pairs live in a static table: no malloc in the program's threads.
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "tw_preload.h"
#include <errno.h>
#include <pthread.h>

enum { TW_MAX_STARTS = 1024 };

struct tw_start {
  int used; /* atomic */
  void *(*fn)(void *);
  void *arg;
  pid_t creator;
};
static struct tw_start tw_starts[TW_MAX_STARTS];

typedef int (*tw_create_fn)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
static tw_create_fn real_create;

__attribute__((constructor(101))) static void tw_threads_resolve(void) {
  if (!real_create)
    real_create = (tw_create_fn)tw_real("pthread_create", NULL);
}

static void *tw_thread_main(void *p) {
  struct tw_start *s = (struct tw_start *)p;
  void *(*fn)(void *) = s->fn;
  void *arg = s->arg;
  pid_t creator = s->creator;
  __atomic_store_n(&s->used, 0, __ATOMIC_RELEASE);
  tw_thread_begin(creator, 0);
  return fn(arg);
}

TW_EXPORT int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *),
                             void *arg) {
  tw_threads_resolve();
  if (!real_create)
    return EAGAIN;
  if (!tw_enabled)
    return real_create(th, attr, fn, arg);
  struct tw_start *slot = NULL;
  for (unsigned i = 0; i < TW_MAX_STARTS && !slot; ++i) {
    int expected = 0;
    if (__atomic_compare_exchange_n(&tw_starts[i].used, &expected, 1, 0, __ATOMIC_ACQ_REL,
                                    __ATOMIC_RELAXED))
      slot = &tw_starts[i];
  }
  if (!slot) /* more than TW_MAX_STARTS threads starting at once: adopted later */
    return real_create(th, attr, fn, arg);
  slot->fn = fn;
  slot->arg = arg;
  slot->creator = tw_gettid();
  int r = real_create(th, attr, tw_thread_main, slot);
  if (r != 0)
    __atomic_store_n(&slot->used, 0, __ATOMIC_RELEASE);
  return r;
}
