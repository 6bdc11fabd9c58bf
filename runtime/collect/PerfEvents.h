//===- PerfEvents.h - Counting perf events for the whole process tree -----===//
//
// libpfm4 turns event names into perf_event_attr (so the event string, not
// code, picks what is measured). Launched: each event is opened on the child
// before it execs, with inherit=1 (threads and children created later count
// too) and enable_on_exec=1 (threadwise's own start-up does not). Attached:
// one counter per thread alive at attach, inherit=1 for the threads they
// start, summed when read. Unprivileged (perf_event_paranoid=2): user space
// only. Counts are read with time enabled/running: a multiplexed counter is
// scaled up and marked "scaled". An event that cannot be opened is reported
// as unavailable with its errno, never as zero.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_PERFEVENTS_H
#define THREADWISE_COLLECT_PERFEVENTS_H

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <sys/types.h>
#include <vector>

namespace threadwise::collect {

class PerfEvents {
public:
  /// The default set: software events always, hardware ones when present.
  static std::vector<std::string> defaultEvents();
  /// "a,b" -> {"a", "b"}; an empty list is the default set.
  static std::vector<std::string> parseList(llvm::StringRef List);
  /// Prints every event this machine can open for a process of its user
  /// (libpfm4's generic events and those of the PMUs present, each tried);
  /// returns how many.
  static unsigned listOpenable(llvm::raw_ostream &OS);
  /// A counter's value over its whole enabled time: when the kernel
  /// multiplexed it (ran it RunningNs of EnabledNs), scaled by enabled/running.
  static double scaledCount(uint64_t Value, uint64_t EnabledNs, uint64_t RunningNs,
                            bool &Multiplexed);
  ~PerfEvents();
  /// Opens every event on Pid (stopped before exec). Never fails as a whole.
  void open(pid_t Pid, const std::vector<std::string> &Names);
  /// Opens every event on each of Tids (threads of a running process),
  /// counting from now. At most MaxFds descriptors; later threads are then
  /// counted only through their creators' inherited counters.
  void attach(const std::vector<pid_t> &Tids, const std::vector<std::string> &Names,
              unsigned MaxFds = 512);
  /// Events that opened on at least one thread.
  unsigned opened() const;
  /// "name: reason" of each event that did not open, one per line.
  std::string failures() const;
  /// The names libpfm4 cannot encode (unknown events), with why.
  static std::vector<std::pair<std::string, std::string>>
  unencodable(const std::vector<std::string> &Names);
  /// Reads the counters ({"available": [...], "unavailable": [...]}).
  llvm::json::Object read() const;

private:
  struct Event {
    std::string Name;
    std::vector<int> Fds;  ///< one per counted thread (one when launched)
    std::string Reason;    ///< why it is unavailable
    bool UserOnly = false; ///< kernel part excluded (perf_event_paranoid)
  };
  std::vector<Event> Events;
  /// Encodes each name and lets Open fill the event's descriptors; an event
  /// that does not encode is kept with its reason.
  template <typename OpenFn> void openEach(const std::vector<std::string> &Names, OpenFn Open);
  unsigned ThreadsTotal = 0; ///< threads alive at attach (0: launched)
};

} // namespace threadwise::collect

#endif
