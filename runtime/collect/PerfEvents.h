//===- PerfEvents.h - Counting perf events for the whole process tree -----===//
//
// libpfm4 turns event names into perf_event_attr (so the event string, not
// code, picks what is measured); each event is opened on the launched child
// before it execs, with inherit=1 (threads and children created later count
// too) and enable_on_exec=1 (threadwise's own start-up does not). Unprivileged
// (perf_event_paranoid=2): user space only. An event that cannot be opened is
// reported as unavailable with its errno, never as zero.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_PERFEVENTS_H
#define THREADWISE_COLLECT_PERFEVENTS_H

#include "llvm/Support/JSON.h"
#include <string>
#include <sys/types.h>
#include <vector>

namespace threadwise::collect {

class PerfEvents {
public:
  /// The default set: software events always, hardware ones when present.
  static std::vector<std::string> defaultEvents();
  ~PerfEvents();
  /// Opens every event on Pid (stopped before exec). Never fails as a whole.
  void open(pid_t Pid, const std::vector<std::string> &Names);
  /// Reads the counters ({"available": [...], "unavailable": [...]}).
  llvm::json::Object read() const;

private:
  struct Event {
    std::string Name;
    int Fd = -1;
    std::string Reason;    ///< why it is unavailable
    bool UserOnly = false; ///< kernel part excluded (perf_event_paranoid)
  };
  std::vector<Event> Events;
};

} // namespace threadwise::collect

#endif
