//===- ProcSampler.h - Periodic /proc samples of every thread in the tree --===//
//
// The part of the measurement that needs no cooperation from the program: on-CPU
// time and run delay (schedstat), user/system ticks (stat) and context switches
// (status) of every thread of every process below the launched command. For a
// statically linked program this is the whole profile ("proc-only" mode).
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_COLLECT_PROCSAMPLER_H
#define THREADWISE_COLLECT_PROCSAMPLER_H

#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <sys/types.h>
#include <vector>

namespace threadwise::collect {

struct ThreadSamples {
  pid_t Pid = 0, Tid = 0;
  std::string Comm;
  uint64_t FirstNs = 0, LastNs = 0; ///< absolute CLOCK_MONOTONIC of first/last sample
  uint64_t UserNs = 0, SysNs = 0, CpuNs = 0, RunDelayNs = 0;
  uint64_t VoluntaryCs = 0, InvoluntaryCs = 0;
  /// {t_ns, cpu_ns cumulative, run_delay_ns cumulative}, absolute time.
  std::vector<std::array<uint64_t, 3>> Samples;
};

struct ProcessInfo {
  pid_t Pid = 0, PPid = 0;
  std::string Exe;
  std::vector<std::string> Argv;
  uint64_t FirstNs = 0, LastNs = 0;
};

class ProcSampler {
public:
  ProcSampler(pid_t Root, std::string RecordDir, unsigned MaxSamplesPerThread = 3000);
  /// One round: discover processes, sample their threads.
  void sample(uint64_t NowNs);
  /// Adds a pid learned elsewhere (a record file name, a reaped orphan).
  void track(pid_t Pid) { Tracked.insert(Pid); }

  const std::map<std::pair<pid_t, pid_t>, ThreadSamples> &threads() const { return Threads; }
  const std::map<pid_t, ProcessInfo> &processes() const { return Processes; }

private:
  void discover();
  void sampleProcess(pid_t Pid, uint64_t NowNs);
  void sampleThread(pid_t Pid, pid_t Tid, uint64_t NowNs);

  pid_t Root;
  std::string RecordDir;
  unsigned MaxSamples;
  unsigned Round = 0;
  std::set<pid_t> Tracked;
  std::map<std::pair<pid_t, pid_t>, ThreadSamples> Threads;
  std::map<pid_t, ProcessInfo> Processes;
};

} // namespace threadwise::collect

#endif
