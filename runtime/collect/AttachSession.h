//===- AttachSession.h - `threadwise profile --pid PID`: a running process -===//
//
// Profiles a process that was not started under the preload library: no
// interposition, no ptrace stop. Each round reads every thread's /proc files
// (ProcSampler in attach mode infers its waits) and perf counters count each
// thread from the attach on. Ends on --duration, when the process exits, or
// on SIGINT/SIGTERM/SIGHUP to threadwise; the process runs on, untouched
// (nothing was injected, the counters are closed).
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_ATTACHSESSION_H
#define THREADWISE_COLLECT_ATTACHSESSION_H

#include "ProcSampler.h"
#include "llvm/Support/JSON.h"
#include <string>
#include <sys/types.h>
#include <vector>

namespace threadwise::collect {

struct AttachOptions {
  pid_t Pid = 0;
  double DurationS = 0; ///< 0: until the process exits or threadwise is interrupted
  uint64_t IntervalNs = 10000000;
  std::vector<std::string> Events;
  bool RequireEvents = false; ///< fail when none of Events opens (they were asked for)
  /// Called after every round for each sampled process (ProcSampler.h), e.g.
  /// to read Python stacks from outside the process.
  RoundHook Hook;
};

/// Why Pid cannot be profiled (no such process, another user's, a thread,
/// no ptrace access to its /proc files), or "" when it can.
std::string checkAttachable(pid_t Pid);

/// Samples the process until the session ends; the merged profile, or
/// nothing with Error set.
std::optional<llvm::json::Object> profileAttached(const AttachOptions &O, std::string &Error);

} // namespace threadwise::collect

#endif
