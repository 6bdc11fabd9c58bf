/*===- python.c - Recognise CPython and where its interpreter code lives -===*
 *
 * CPython 3.11 waits for the GIL in take_gil(): pthread_cond_timedwait() on the
 * GIL's condition variable with the 5 ms switch interval, and a thread forced to
 * drop the GIL waits (untimed) on switch_cond until another thread took it.
 * Both calls come from the interpreter's own module: the python executable
 * (Debian's /usr/bin/python3.11) or libpython3.X.so (pyenv, --enable-shared).
 * So a condition wait whose caller lies in that module is classified as a GIL
 * wait. Python-level waits (threading.Lock, Queue) use sem_* instead, and C
 * extensions are other modules, so they stay "lock"/"wait".
 *===----------------------------------------------------------------------===*/
#define _GNU_SOURCE
#include "tw_preload.h"
#include <dlfcn.h>
#include <link.h>
#include <string.h>
#include <unistd.h>

enum { TW_MAX_PY_RANGES = 4 };
static uintptr_t tw_py_lo[TW_MAX_PY_RANGES], tw_py_hi[TW_MAX_PY_RANGES];
static int tw_py_nranges;
static int tw_py_shared;

struct tw_find {
  uintptr_t probe;
};

static int tw_phdr_cb(struct dl_phdr_info *info, size_t size, void *data) {
  struct tw_find *f = (struct tw_find *)data;
  int contains = 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
    if (ph->p_type == PT_LOAD && f->probe >= lo && f->probe < lo + ph->p_memsz)
      contains = 1;
  }
  if (!contains)
    return 0;
  for (int i = 0; i < info->dlpi_phnum && tw_py_nranges < TW_MAX_PY_RANGES; ++i) {
    const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
    if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
      tw_py_lo[tw_py_nranges] = info->dlpi_addr + ph->p_vaddr;
      tw_py_hi[tw_py_nranges] = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
      ++tw_py_nranges;
    }
  }
  tw_py_shared = info->dlpi_name && strstr(info->dlpi_name, "libpython") != NULL;
  return 1;
}

/* "python3.13t" or "libpython3.13t.so...": the ABI tag 't' right after the
 * minor version in the file's base name. */
static int tw_is_free_threaded_name(const char *path, unsigned minor) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  char tag[24];
  int n = 0;
  const char *p = "python3.";
  while (*p)
    tag[n++] = *p++;
  if (minor >= 10)
    tag[n++] = (char)('0' + minor / 10);
  tag[n++] = (char)('0' + minor % 10);
  tag[n++] = 't';
  tag[n] = 0;
  const char *hit = strstr(base, tag);
  return hit && (hit[n] == 0 || hit[n] == '.' || hit[n] == '-');
}

static int tw_py_done;
static uint64_t tw_py_version;
static uint32_t tw_py_flags;

static void tw_python_detect_once(uint64_t *version, uint32_t *flags);

/* Cached: a fork child (same image) must not walk the loader's lists again,
 * but its new record file needs the Python frames announced again. */
void tw_python_detect(uint64_t *version, uint32_t *flags) {
  if (!tw_py_done) {
    tw_python_detect_once(&tw_py_version, &tw_py_flags);
    tw_py_done = 1;
  } else {
    tw_py_stacks_reset();
  }
  *version = tw_py_version;
  *flags |= tw_py_flags;
}

static void tw_python_detect_once(uint64_t *version, uint32_t *flags) {
  *version = 0;
  tw_py_nranges = 0;
  /* Py_Version exists from 3.11 on; _PyRuntime identifies older CPythons. */
  const unsigned long *pv = (const unsigned long *)dlsym(RTLD_DEFAULT, "Py_Version");
  void *runtime = dlsym(RTLD_DEFAULT, "_PyRuntime");
  void *probe = pv ? (void *)pv : runtime;
  if (!probe)
    return;
  *version = pv ? *pv : 0x03000000ul;
  *flags |= TW_PROC_PYTHON;
  struct tw_find f = {(uintptr_t)probe};
  dl_iterate_phdr(tw_phdr_cb, &f);
  if (tw_py_shared)
    *flags |= TW_PROC_PY_SHARED_LIB;
  if (tw_py_stacks_init(*version))
    *flags |= TW_PROC_PY_STACKS;
  /* Free-threaded CPython (PEP 703) exists from 3.13; the dependable marker
   * without calling into the interpreter is the ABI tag in the library or
   * executable name ("python3.13t", "libpython3.13t.so"). */
  if (*version >= 0x030D0000ul) {
    Dl_info info;
    char exe[512];
    const char *name = NULL;
    if (dladdr(probe, &info) && info.dli_fname && info.dli_fname[0])
      name = info.dli_fname;
    else { /* the main program: dladdr names it "" */
      ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
      if (n > 0) {
        exe[n] = 0;
        name = exe;
      }
    }
    if (name && tw_is_free_threaded_name(name, (unsigned)((*version >> 16) & 0xff)))
      *flags |= TW_PROC_PY_FREE_THREADED;
  }
}

int tw_in_interpreter(const void *addr) {
  uintptr_t a = (uintptr_t)addr;
  for (int i = 0; i < tw_py_nranges; ++i)
    if (a >= tw_py_lo[i] && a < tw_py_hi[i])
      return 1;
  return 0;
}
