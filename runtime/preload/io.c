/*===- io.c - Blocking I/O and sleeps ------------------------------------===*
 *
 * Every call is timed and added to the thread's totals; only waits longer than
 * THREADWISE_MIN_INTERVAL_US (default 20 us) become timeline intervals. These
 * calls are frequent and mostly short, so they are timed with the coarse
 * monotonic clock (one jiffy, 4 ms here, for a fraction of the cost): a wait
 * counts a whole tick when a tick passes during it, with probability
 * duration/tick, so totals stay unbiased while interval edges are quantised.
 * Lock, condition and GIL waits (locks.c) use the precise clock. glibc's own
 * internal calls (e.g. sleep() calling nanosleep, fread calling read) bypass
 * the PLT: we interpose each public entry.
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "tw_preload.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

/* TW_WRAP(kind, ret, name, (params), (args), fd) defines name() and its
 * resolver; fd (or -1) is classified (pipe/socket/file/tty) only for waits that
 * lasted a tick, so the fstat is off the fast path. The fast path (no tick
 * passed: almost every call) is two vDSO clock reads and one increment in the
 * thread's slot; nothing there can change errno. */
#define TW_WRAP(kind, ret, name, params, args, fd)                                              \
  static ret(*real_##name) params;                                                          \
  __attribute__((constructor(101))) static void tw_resolve_##name(void) {                   \
    if (!real_##name)                                                                       \
      real_##name = (__typeof__(real_##name))tw_real(#name, NULL);                          \
  }                                                                                         \
  TW_EXPORT ret name params {                                                               \
    if (TW_UNLIKELY(!real_##name)) {                                                        \
      tw_resolve_##name();                                                                  \
      if (!real_##name) {                                                                   \
        errno = ENOSYS;                                                                     \
        return (ret)-1;                                                                     \
      }                                                                                     \
    }                                                                                       \
    if (!tw_enabled)                                                                        \
      return real_##name args;                                                              \
    uint64_t tw_t0 = tw_now_coarse();                                                       \
    ret tw_r = real_##name args;                                                             \
    uint64_t tw_t1 = tw_now_coarse();                                                       \
    if (TW_LIKELY(tw_t1 == tw_t0) && TW_LIKELY(tw_count_instant(kind)))                     \
      return tw_r;                                                                          \
    int tw_e = errno;                                                                       \
    int tw_k = kind == TW_IO && tw_t1 != tw_t0 ? tw_fd_kind(fd) : 0;                        \
    tw_note(kind, tw_t0, tw_t1, __builtin_return_address(0), (const void *)(uintptr_t)tw_k); \
    errno = tw_e;                                                                           \
    return tw_r;                                                                            \
  }

TW_WRAP(TW_IO, ssize_t, read, (int fd, void *buf, size_t n), (fd, buf, n), fd)
TW_WRAP(TW_IO, ssize_t, write, (int fd, const void *buf, size_t n), (fd, buf, n), fd)
TW_WRAP(TW_IO, ssize_t, pread, (int fd, void *buf, size_t n, off_t o), (fd, buf, n, o), fd)
TW_WRAP(TW_IO, ssize_t, pwrite, (int fd, const void *buf, size_t n, off_t o), (fd, buf, n, o), fd)
TW_WRAP(TW_IO, ssize_t, readv, (int fd, const struct iovec *v, int n), (fd, v, n), fd)
TW_WRAP(TW_IO, ssize_t, writev, (int fd, const struct iovec *v, int n), (fd, v, n), fd)
TW_WRAP(TW_IO, ssize_t, recv, (int fd, void *buf, size_t n, int fl), (fd, buf, n, fl), fd)
TW_WRAP(TW_IO, ssize_t, recvfrom,
        (int fd, void *buf, size_t n, int fl, struct sockaddr *a, socklen_t *al),
        (fd, buf, n, fl, a, al), fd)
TW_WRAP(TW_IO, ssize_t, recvmsg, (int fd, struct msghdr *m, int fl), (fd, m, fl), fd)
TW_WRAP(TW_IO, ssize_t, send, (int fd, const void *buf, size_t n, int fl), (fd, buf, n, fl), fd)
TW_WRAP(TW_IO, ssize_t, sendto,
        (int fd, const void *buf, size_t n, int fl, const struct sockaddr *a, socklen_t al),
        (fd, buf, n, fl, a, al), fd)
TW_WRAP(TW_IO, ssize_t, sendmsg, (int fd, const struct msghdr *m, int fl), (fd, m, fl), fd)
TW_WRAP(TW_IO, int, accept, (int fd, struct sockaddr *a, socklen_t *al), (fd, a, al), fd)
TW_WRAP(TW_IO, int, accept4, (int fd, struct sockaddr *a, socklen_t *al, int fl),
        (fd, a, al, fl), fd)
TW_WRAP(TW_IO, int, connect, (int fd, const struct sockaddr *a, socklen_t al), (fd, a, al), fd)
TW_WRAP(TW_IO, int, poll, (struct pollfd * f, nfds_t n, int ms), (f, n, ms), -1)
TW_WRAP(TW_IO, int, ppoll,
        (struct pollfd * f, nfds_t n, const struct timespec *ts, const sigset_t *sm),
        (f, n, ts, sm), -1)
TW_WRAP(TW_IO, int, select, (int n, fd_set *r, fd_set *w, fd_set *x, struct timeval *tv),
        (n, r, w, x, tv), -1)
TW_WRAP(TW_IO, int, pselect,
        (int n, fd_set *r, fd_set *w, fd_set *x, const struct timespec *ts,
         const sigset_t *sm),
        (n, r, w, x, ts, sm), -1)
TW_WRAP(TW_IO, int, epoll_wait, (int ep, struct epoll_event *ev, int n, int ms),
        (ep, ev, n, ms), ep)
TW_WRAP(TW_IO, int, epoll_pwait,
        (int ep, struct epoll_event *ev, int n, int ms, const sigset_t *sm),
        (ep, ev, n, ms, sm), ep)
TW_WRAP(TW_SLEEP, int, nanosleep, (const struct timespec *req, struct timespec *rem),
        (req, rem), -1)
TW_WRAP(TW_SLEEP, int, clock_nanosleep,
        (clockid_t c, int fl, const struct timespec *req, struct timespec *rem),
        (c, fl, req, rem), -1)
TW_WRAP(TW_SLEEP, int, usleep, (useconds_t us), (us), -1)
TW_WRAP(TW_SLEEP, unsigned, sleep, (unsigned s), (s), -1)
