//===- ProcSampler.h - Periodic /proc samples of every thread in the tree --===//
//
// The part of the measurement that needs no cooperation from the program: on-CPU
// time and run delay (schedstat), user/system ticks (stat) and context switches
// (status) of every thread of every process below the launched command. For a
// statically linked program this is the whole profile ("proc-only" mode).
//
// Attached to a running process (`threadwise profile --pid`), counters are
// taken relative to the first round, and each round also infers what every
// blocked thread waits for (WaitInference.h): its off-CPU time since the last
// round goes to that kind of wait, as totals, timeline intervals and sites.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_PROCSAMPLER_H
#define THREADWISE_COLLECT_PROCSAMPLER_H

#include "WaitInference.h"
#include "preload/tw_format.h"
#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <sys/types.h>
#include <vector>

namespace threadwise::collect {

/// Reads a /proc file whole; false with errno set when it cannot be opened
/// or read.
bool readSmallFile(const std::string &Path, std::string &Out);

/// One stretch of inferred waiting (attach mode); Site indexes sites().
struct WaitInterval {
  uint64_t Start = 0, End = 0; ///< absolute CLOCK_MONOTONIC
  int Kind = 0, Site = -1;
};

/// Where threads of one process were found waiting (attach mode): a futex
/// word, or a blocking system call.
struct WaitSite {
  pid_t Pid = 0;
  int Kind = 0;
  std::string Call;
  uint64_t Address = 0;
  uint64_t WaitNs = 0, Count = 0;
};

struct ThreadSamples {
  pid_t Pid = 0, Tid = 0;
  std::string Comm;
  uint64_t FirstNs = 0, LastNs = 0; ///< absolute CLOCK_MONOTONIC of first/last sample
  uint64_t UserNs = 0, SysNs = 0, CpuNs = 0, RunDelayNs = 0;
  uint64_t VoluntaryCs = 0, InvoluntaryCs = 0;
  /// {t_ns, cpu_ns cumulative, run_delay_ns cumulative}, absolute time.
  std::vector<std::array<uint64_t, 3>> Samples;
  // Attach mode only.
  uint64_t WaitNs[TW_KIND_COUNT] = {}, WaitCount[TW_KIND_COUNT] = {};
  std::vector<WaitInterval> Intervals;
  int LastKind = -1, LastSite = -1; ///< the wait seen at the previous round
  /// Counters at attach time (user, sys, cpu, run delay, vcs, ivcs),
  /// subtracted from every later reading.
  std::array<uint64_t, 6> Base = {};
  char State = 0;                   ///< run state at the last round
};

struct ProcessInfo {
  pid_t Pid = 0, PPid = 0;
  std::string Exe;
  std::vector<std::string> Argv;
  uint64_t FirstNs = 0, LastNs = 0;
  DetectedPython Python; ///< attach mode: from the executable and the maps
  std::string Maps;      ///< attach mode: /proc/<pid>/maps when first seen
};

/// A thread as one attach-mode round saw it: State is the /proc run state,
/// Wait what it was found waiting for (nothing when running or runnable).
struct ThreadObservation {
  pid_t Tid = 0;
  char State = 0;
  std::optional<InferredWait> Wait;
};

/// Called after every attach-mode round for each process sampled in it, with
/// its live threads; the place for samplers that read more than /proc (remote
/// Python stacks). NowNs is the round's CLOCK_MONOTONIC time.
using RoundHook = std::function<void(const ProcessInfo &Process,
                                     const std::vector<ThreadObservation> &Threads,
                                     uint64_t NowNs)>;

class ProcSampler {
public:
  ProcSampler(pid_t Root, std::string RecordDir, unsigned MaxSamplesPerThread = 3000);
  ~ProcSampler();
  ProcSampler(const ProcSampler &) = delete;
  ProcSampler &operator=(const ProcSampler &) = delete;
  /// Attach mode: counters relative to the first round, waits inferred.
  void setAttached(bool A) { Attached = A; }
  void setRoundHook(RoundHook H) { Hook = std::move(H); }
  /// One round: discover processes, sample their threads.
  void sample(uint64_t NowNs);
  /// Adds a pid learned elsewhere (a record file name, a reaped orphan).
  void track(pid_t Pid) { Tracked.insert(Pid); }

  const std::map<std::pair<pid_t, pid_t>, ThreadSamples> &threads() const { return Threads; }
  const std::map<pid_t, ProcessInfo> &processes() const { return Processes; }
  const std::vector<WaitSite> &sites() const { return Sites; }
  /// Processes seen in some round and gone (no task directory) in a later one.
  bool gone(pid_t Pid) const { return Gone.count(Pid) != 0; }

private:
  void discover();
  /// Whether RecordDir may hold files not listed yet: its mtime changed since
  /// the last round, or is too recent to tell.
  bool recordDirChanged();
  void addRecordFile(llvm::StringRef Name);
  /// A thread's schedstat, read every round: its file stays open and is read
  /// again from offset 0 (the open's path walk was most of the read's cost).
  bool readSchedstat(pid_t Pid, pid_t Tid, const std::string &Path, std::string &Out);
  /// Closes the kept schedstat files of Pid's threads not in Alive (sorted).
  void closeSchedstats(pid_t Pid, const std::vector<pid_t> &Alive);
  /// Adds the descendants of tracked processes from /proc/.../children; false
  /// when no such file could be read (a kernel without CONFIG_PROC_CHILDREN).
  bool discoverChildren();
  void sampleProcess(pid_t Pid, uint64_t NowNs);
  /// Pid's threads (sorted): the last listing of its task directory (Task),
  /// listed again when the directory's link count (2 + the number of threads;
  /// a stat costs a fifth of a listing) changed, or a listed thread ended.
  const std::vector<pid_t> &threadsOf(pid_t Pid, const std::string &Task);
  /// False when the thread's schedstat could not be read (it ended).
  bool sampleThread(pid_t Pid, pid_t Tid, uint64_t NowNs, std::vector<ThreadObservation> *Seen);
  void inferWaits(ThreadSamples &T, const ThreadSamples &Before, char State,
                  const std::string &Base, std::vector<ThreadObservation> *Seen);
  int siteFor(pid_t Pid, const InferredWait &W);

  pid_t Root;
  std::string RecordDir;
  unsigned MaxSamples;
  unsigned Round = 0;
  bool Attached = false;
  RoundHook Hook;
  std::set<pid_t> Gone;
  std::vector<WaitSite> Sites;
  std::map<std::tuple<pid_t, int, std::string, uint64_t>, int> SiteIndex;
  std::set<pid_t> Tracked;
  /// Processes with a preload record file: the library reports their threads'
  /// CPU times and context switches itself, so the sampler reads only
  /// schedstat every round and the rest (a fallback for a thread whose record
  /// is lost, e.g. to SIGKILL) every TotalsEvery rounds: at 5 they were 30% of
  /// the launcher's CPU with 5 threads.
  std::set<pid_t> Preloaded;
  static constexpr unsigned TotalsEvery = 25;
  bool totalsRound(pid_t Pid) const {
    return Attached || Round % TotalsEvery == 0 || !Preloaded.count(Pid);
  }
  std::map<std::pair<pid_t, pid_t>, ThreadSamples> Threads;
  std::map<pid_t, ProcessInfo> Processes;
  int64_t RecordDirMtimeNs = -1; ///< RecordDir's mtime at the last round
  struct TaskList {
    nlink_t Links = 0; ///< of the task directory when listed
    std::vector<pid_t> Tids;
    bool Stale = true;
  };
  std::map<pid_t, TaskList> TaskLists;
  std::map<std::pair<pid_t, pid_t>, int> SchedFiles;
  static constexpr size_t MaxSchedFiles = 256; ///< more threads: opened each round
};

} // namespace threadwise::collect

#endif
