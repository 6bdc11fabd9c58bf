/*===- process.c - Following the process tree: exec, spawn, exit, wait --===*
 *
 * fork() is handled by a pthread_atfork child handler (core.c): the child opens
 * its own file. Here: exec'ed and spawned children must inherit LD_PRELOAD and
 * THREADWISE_OUT even when the program passes its own environment, and
 * THREADWISE_T0 carries the fork time into the new image (its spawn cost). An
 * image that is replaced by exec writes its totals first, since no destructor
 * runs. A vfork child shares our memory: it only gets its environment fixed.
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "tw_preload.h"
#include <dlfcn.h>
#include <errno.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { TW_MAX_ENV = 1024 }; /* on the caller's stack: 8 KiB of pointers */

static char tw_self_path[1024]; /* this library, for LD_PRELOAD */

typedef int (*tw_execve_fn)(const char *, char *const[], char *const[]);
typedef int (*tw_spawn_fn)(pid_t *, const char *, const posix_spawn_file_actions_t *,
                           const posix_spawnattr_t *, char *const[], char *const[]);
static tw_execve_fn real_execve, real_execvpe;
static tw_spawn_fn real_spawn, real_spawnp;
static void (*real__exit)(int);
static void (*real__Exit)(int);
static void (*real_exit)(int);
static pid_t (*real_waitpid)(pid_t, int *, int);
static pid_t (*real_wait)(int *);
static pid_t (*real_wait4)(pid_t, int *, int, struct rusage *);

__attribute__((constructor(101))) static void tw_process_resolve(void) {
  real_execve = (tw_execve_fn)tw_real("execve", NULL);
  real_execvpe = (tw_execve_fn)tw_real("execvpe", NULL);
  real_spawn = (tw_spawn_fn)tw_real("posix_spawn", NULL);
  real_spawnp = (tw_spawn_fn)tw_real("posix_spawnp", NULL);
  real__exit = (void (*)(int))tw_real("_exit", NULL);
  real__Exit = (void (*)(int))tw_real("_Exit", NULL);
  real_exit = (void (*)(int))tw_real("exit", NULL);
  real_waitpid = (pid_t(*)(pid_t, int *, int))tw_real("waitpid", NULL);
  real_wait = (pid_t(*)(int *))tw_real("wait", NULL);
  real_wait4 = (pid_t(*)(pid_t, int *, int, struct rusage *))tw_real("wait4", NULL);
  Dl_info info;
  if (dladdr((void *)&tw_process_resolve, &info) && info.dli_fname &&
      strlen(info.dli_fname) < sizeof tw_self_path)
    strcpy(tw_self_path, info.dli_fname);
}

/* Wrappers can run before our constructor (another library's constructor
 * spawning or exiting early): resolve on first use as well. */
static void tw_process_ensure(void) {
  if (TW_UNLIKELY(!real_exit))
    tw_process_resolve();
}

/* Scratch space for one fixed-up environment, on the caller's stack. */
struct tw_env {
  char *vars[TW_MAX_ENV + 4];
  char out[1100];
  char t0[48];
  char preload[4096];
};

static int tw_has_prefix(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

static char *const *tw_fix_env(char *const envp[], struct tw_env *e) {
  const char *outdir = tw_output_dir();
  if (!outdir[0] || !envp)
    return envp;
  size_t n = 0;
  int have_out = 0, have_preload = 0;
  for (; envp[n]; ++n) {
    if (n >= TW_MAX_ENV)
      return envp; /* too large to copy on the stack: leave it alone */
  }
  size_t k = 0;
  for (size_t i = 0; i < n; ++i) {
    char *v = envp[i];
    if (tw_has_prefix(v, "THREADWISE_T0="))
      continue; /* replaced below */
    if (tw_has_prefix(v, "THREADWISE_OUT="))
      have_out = 1;
    if (tw_has_prefix(v, "LD_PRELOAD=")) {
      have_preload = 1;
      if (tw_self_path[0] && !strstr(v, tw_self_path) &&
          strlen(v) + strlen(tw_self_path) + 2 < sizeof e->preload) {
        strcpy(e->preload, "LD_PRELOAD=");
        strcat(e->preload, tw_self_path);
        strcat(e->preload, " ");
        strcat(e->preload, v + 11);
        v = e->preload;
      }
    }
    e->vars[k++] = v;
  }
  if (!have_out) {
    strcpy(e->out, "THREADWISE_OUT=");
    strncat(e->out, outdir, sizeof e->out - 20);
    e->vars[k++] = e->out;
  }
  if (!have_preload && tw_self_path[0]) {
    strcpy(e->preload, "LD_PRELOAD=");
    strcat(e->preload, tw_self_path);
    e->vars[k++] = e->preload;
  }
  /* The fork time of this pid; a vfork child's is "now". */
  uint64_t t0 =
      (pid_t)syscall(SYS_getpid) == tw_cached_pid() && tw_spawn_ns ? tw_spawn_ns : tw_now();
  char digits[24];
  size_t nd = 0;
  do {
    digits[nd++] = (char)('0' + t0 % 10);
    t0 /= 10;
  } while (t0);
  strcpy(e->t0, "THREADWISE_T0=");
  size_t p = strlen(e->t0);
  while (nd)
    e->t0[p++] = digits[--nd];
  e->t0[p] = 0;
  e->vars[k++] = e->t0;
  e->vars[k] = NULL;
  return e->vars;
}

/* 1 when this call runs in the recorded process itself (not a vfork child). */
static int tw_owns_process(void) {
  return tw_enabled && (pid_t)syscall(SYS_getpid) == tw_cached_pid();
}

static int tw_do_exec(tw_execve_fn fn, const char *path, char *const argv[], char *const envp[]) {
  if (!fn) {
    errno = ENOSYS;
    return -1;
  }
  struct tw_env e;
  char *const *env = tw_fix_env(envp, &e);
  int own = tw_owns_process();
  if (own) {
    tw_process_end(-1, 3);
    tw_sampling_before_exec(tw_peek_self());
  }
  int r = fn(path, argv, env);
  if (own) {
    int err = errno;
    tw_after_failed_exec();
    errno = err;
  }
  return r;
}

TW_EXPORT int execve(const char *path, char *const argv[], char *const envp[]) {
  tw_process_ensure();
  return tw_do_exec(real_execve, path, argv, envp);
}
TW_EXPORT int execv(const char *path, char *const argv[]) {
  tw_process_ensure();
  return tw_do_exec(real_execve, path, argv, environ);
}
TW_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[]) {
  tw_process_ensure();
  return tw_do_exec(real_execvpe, file, argv, envp);
}
TW_EXPORT int execvp(const char *file, char *const argv[]) {
  tw_process_ensure();
  return tw_do_exec(real_execvpe, file, argv, environ);
}

TW_EXPORT int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                          const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  tw_process_ensure();
  struct tw_env e;
  return real_spawn(pid, path, fa, attr, argv, tw_fix_env(envp, &e));
}
TW_EXPORT int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
                           const posix_spawnattr_t *attr, char *const argv[], char *const envp[]) {
  tw_process_ensure();
  struct tw_env e;
  return real_spawnp(pid, file, fa, attr, argv, tw_fix_env(envp, &e));
}

TW_EXPORT void exit(int code) {
  tw_process_ensure();
  tw_set_exit_code(code); /* the destructor writes the process end */
  real_exit(code);
  __builtin_unreachable();
}
TW_EXPORT void _exit(int code) {
  tw_process_ensure();
  if (tw_owns_process())
    tw_process_end(code, 2);
  if (!real__exit)
    syscall(SYS_exit_group, code);
  real__exit(code);
  __builtin_unreachable();
}
TW_EXPORT void _Exit(int code) {
  tw_process_ensure();
  if (tw_owns_process())
    tw_process_end(code, 2);
  if (!real__Exit)
    syscall(SYS_exit_group, code);
  real__Exit(code);
  __builtin_unreachable();
}

/* Exit statuses of grandchildren reach only their parent: record what it sees. */
static void tw_child_status(pid_t pid, int status, uint64_t t0, const void *ra) {
  if (!tw_enabled)
    return;
  tw_note(TW_WAIT, t0, tw_now(), ra, NULL);
  if (pid > 0 && (WIFEXITED(status) || WIFSIGNALED(status))) {
    struct tw_child_exit c = {pid, status, tw_now()};
    tw_write_record(TW_REC_CHILD_EXIT, &c, sizeof c);
  }
}

TW_EXPORT pid_t waitpid(pid_t pid, int *status, int options) {
  tw_process_ensure();
  int local = 0;
  uint64_t t0 = tw_now();
  pid_t r = real_waitpid(pid, status ? status : &local, options);
  tw_child_status(r, status ? *status : local, t0, __builtin_return_address(0));
  return r;
}
TW_EXPORT pid_t wait(int *status) {
  tw_process_ensure();
  int local = 0;
  uint64_t t0 = tw_now();
  pid_t r = real_wait(status ? status : &local);
  tw_child_status(r, status ? *status : local, t0, __builtin_return_address(0));
  return r;
}
TW_EXPORT pid_t wait4(pid_t pid, int *status, int options, struct rusage *ru) {
  tw_process_ensure();
  int local = 0;
  uint64_t t0 = tw_now();
  pid_t r = real_wait4(pid, status ? status : &local, options, ru);
  tw_child_status(r, status ? *status : local, t0, __builtin_return_address(0));
  return r;
}
