//===- PythonAttachSampler.h - Python stacks for `threadwise profile --pid` ===//
//
// The attach session's round hook: each round reads every Python thread's
// stack from outside (RemotePython) and charges the round to it, as on-CPU
// time when /proc showed the thread running and as the inferred wait kind
// otherwise. The result has the shape of a record file's stacks (Python
// frames as TW_FRAME_INTERNED ids), so the profile builder turns it into
// frames and stacks like the preload library's.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_PYTHONATTACHSAMPLER_H
#define THREADWISE_COLLECT_PYTHONATTACHSAMPLER_H

#include "ProcSampler.h"
#include "RecordFiles.h"
#include "RemotePython.h"
#include <map>
#include <memory>
#include <string>
#include <tuple>

namespace threadwise::collect {

class PythonAttachSampler {
public:
  void round(const ProcessInfo &Process, const std::vector<ThreadObservation> &Threads,
             uint64_t NowNs);
  /// Per pid: the stacks of every Python process that could be read.
  std::map<pid_t, ImageRecord> take();
  /// Per pid: why a Python process' stacks could not be read.
  const std::map<pid_t, std::string> &failures() const { return Failures; }

private:
  struct Process {
    std::unique_ptr<RemotePython> Reader;
    uint64_t LastNs = 0;
    ImageRecord Record;
    std::map<std::tuple<int64_t, uint64_t, uint64_t>, size_t> Counts; // tid, stack, kind
  };
  std::map<pid_t, Process> Processes;
  std::map<pid_t, std::string> Failures;
};

} // namespace threadwise::collect

#endif
