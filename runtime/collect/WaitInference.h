//===- WaitInference.h - What a thread waits for, read from /proc ----------===//
//
// Attach mode has no interposed lock, I/O or GIL calls: a blocked thread is
// classified from what /proc shows at the sampling instant - its run state,
// the system call it sleeps in (/proc/<pid>/task/<tid>/syscall: number and
// arguments) and, when that is unreadable, its wchan. Coarser than the preload
// library: a futex is a lock or a condition by its operation, and in a CPython
// process with a GIL a futex wait with a timeout is the GIL (CPython 3.x waits
// for the GIL in a timed condition wait; its own locks and joins wait
// untimed). Pure functions, so they are tested on recorded /proc lines.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_WAITINFERENCE_H
#define THREADWISE_COLLECT_WAITINFERENCE_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>
#include <string>

namespace threadwise::collect {

/// A blocked thread's wait: Kind is a tw_kind (TW_LOCK, TW_IO, TW_SLEEP,
/// TW_WAIT, TW_GIL); Call names the system call (or wchan); Address is the
/// futex word for futex waits, else 0.
struct InferredWait {
  int Kind = 0;
  std::string Call;
  uint64_t Address = 0;
};

/// State is the one-letter run state of /proc/.../stat; Syscall the text of
/// /proc/.../syscall ("" when unreadable); Wchan the text of /proc/.../wchan.
/// Nothing for running or runnable threads (R), or a wait that cannot be told.
std::optional<InferredWait> inferWait(char State, llvm::StringRef Syscall, llvm::StringRef Wchan,
                                      bool GilProcess);

/// CPython in a process, from its executable path and /proc/<pid>/maps text.
struct DetectedPython {
  bool Present = false;
  std::string Version; ///< "3.11"
  bool FreeThreaded = false, SharedLibpython = false;
};
DetectedPython detectPython(llvm::StringRef Exe, llvm::StringRef Maps);

} // namespace threadwise::collect

#endif
