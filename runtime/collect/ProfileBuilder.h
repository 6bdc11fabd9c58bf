//===- ProfileBuilder.h - Merge record files and /proc samples into JSON ---===//
//
// Produces the merged profile, "format": "threadwise-profile", "version": 1
// (docs/runtime.md "JSON schema"), the contract with runtime/analyze/. Times in
// it are ns relative to the launch; sites are symbolised here.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_PROFILEBUILDER_H
#define THREADWISE_COLLECT_PROFILEBUILDER_H

#include "ProcSampler.h"
#include "RecordFiles.h"
#include "llvm/Support/JSON.h"
#include <map>
#include <string>
#include <vector>

namespace threadwise::collect {

struct RunInfo {
  std::vector<std::string> Command;
  uint64_t StartNs = 0, EndNs = 0; ///< absolute CLOCK_MONOTONIC
  pid_t RootPid = 0;
  int RootStatus = 0;        ///< raw wait status of the launched command
  bool StaticBinary = false; ///< ELF without PT_INTERP: preload cannot load
  uint64_t SamplingIntervalNs = 0;
  uint64_t FinalSamplingIntervalNs = 0; ///< after backing off (see IntervalBackoffs)
  unsigned IntervalBackoffs = 0;
  std::map<pid_t, int> ReapedStatuses; ///< orphans the launcher reaped as subreaper
  llvm::json::Object Events;
  /// Attach mode (`--pid`): the process ran before and may run after; Command
  /// is its argv, StartNs/EndNs the attach window, RootStatus unknown.
  bool Attached = false;
  bool TargetExited = false; ///< it ended while attached
  /// Attach mode: Python stacks read from outside (PythonAttachSampler), per
  /// pid, shaped like a record file's stacks.
  std::map<pid_t, ImageRecord> RemotePythonStacks;
  std::vector<std::string> Notes; ///< more notes for the profile
};

llvm::json::Object buildProfile(const RunInfo &Run, const std::vector<ImageRecord> &Images,
                                const ProcSampler &Sampler);

/// {"code": N, "signal": S} from a raw wait status (code = 128+S when signalled).
llvm::json::Object exitObject(int WaitStatus);

} // namespace threadwise::collect

#endif
