//===- ProfileAnalysis.h - Metrics, speed-up models and the verdict -------===//
//
// Turns a Profile into the numbers a reader needs (effective parallelism,
// where off-CPU time went, which locks were contended) and into a verdict:
// threads, processes, fix-contention or serial, with a confidence, evidence
// sentences and predicted speed-ups. The decision rules and thresholds are
// documented in docs/runtime.md "Verdicts"; they live in VerdictThresholds so
// tests can see them.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_RUNTIME_PROFILEANALYSIS_H
#define THREADWISE_RUNTIME_PROFILEANALYSIS_H

#include "threadwise/Rules.h"
#include "threadwise/runtime/Profile.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace threadwise::runtime {

//===-- Speed-up models ---------------------------------------------------===//

/// Amdahl: 1 / (s + (1 - s) / N).
double amdahlSpeedup(double SerialFraction, double N);

/// Universal Scalability Law: N / (1 + Sigma (N - 1) + Kappa N (N - 1)).
struct UslParams {
  double Sigma = 0; ///< contention (queueing on a shared resource)
  double Kappa = 0; ///< coherency (cost of keeping shared data consistent)
};
double uslSpeedup(const UslParams &P, double N);

/// Least-squares fit of USL to (N, relative throughput) points. Needs at least
/// three distinct N >= 1; returns nothing when the points cannot pin it down.
std::optional<UslParams>
fitUsl(llvm::ArrayRef<std::pair<double, double>> Points);

/// The run's work, split by how it would scale (all nanoseconds, summed over
/// threads). T(N) = SerialCpu + ParallelCpu / min(N, Cores) + Overlap / N
/// (+ N * SpawnCost for processes).
struct WorkModel {
  double SerialCpuNs = 0;   ///< CPU that runs one thread at a time
  double ParallelCpuNs = 0; ///< CPU that spreads over cores
  double OverlapNs = 0;     ///< I/O and sleep: overlaps without using a core
  double SpawnCostNs = 0;   ///< per extra worker (processes only)
  int Cores = 1;

  double timeFor(double N) const;
  double speedup(double N) const; ///< timeFor(1) / timeFor(N)
  double serialFraction() const;
};

//===-- Metrics -----------------------------------------------------------===//

/// Where a set of threads spent their time, as fractions of their summed
/// "active" time: CPU + lock + I/O + sleep + GIL + runnable. Condition waits
/// (a worker idle for lack of work, a main thread in join) are excluded.
struct TimeShares {
  double Cpu = 0, Lock = 0, Io = 0, Sleep = 0, Gil = 0, Runnable = 0;
  double offCpuIo() const { return Io + Sleep; }
};

/// Time whose innermost Python frame was in one function (stacks of kind
/// "gil" and "cpu"): which Python code waited for the GIL, which code ran.
struct PythonFunctionMetrics {
  std::string Function, File;
  int64_t GilLine = 0, CpuLine = 0; ///< the function's line with the most of each
  int64_t GilNs = 0, CpuNs = 0;
  double GilShare = 0, CpuShare = 0; ///< of all GIL wait / CPU time of the threads
};

struct ThreadMetrics {
  int64_t Pid = 0, Tid = 0;
  std::string Name;
  int64_t LifetimeNs = 0, CpuNs = 0, LockNs = 0, IoNs = 0, SleepNs = 0,
          WaitNs = 0, GilNs = 0, RunDelayNs = 0;
  /// Pipe waits in a multi-process run: processes waiting on each other
  /// (IPC), like a condition wait, not I/O work. Not included in IoNs.
  int64_t IpcNs = 0;
  int64_t GilWaits = 0, GilDrops = 0;
  bool Python = false;
  bool Worker = false; ///< busy for a real share of the run (see Metrics)
  /// The thread's process started other profiled processes: its I/O is then
  /// taken as waiting on them (pipes of a multiprocessing pool), not as work.
  bool InParentProcess = false;
  /// Top Python functions of this thread by GIL wait + CPU (at most 5).
  std::vector<PythonFunctionMetrics> PythonFunctions;
  /// CPU + runnable + I/O + sleep: time the thread ran or wanted to run on
  /// its own work. Run delay counts: on a busy machine a CPU-bound thread
  /// spends more time waiting for a core than on it.
  int64_t busyNs() const {
    return CpuNs + RunDelayNs + (InParentProcess ? 0 : IoNs + SleepNs);
  }
  int64_t activeNs() const {
    return CpuNs + LockNs + IoNs + SleepNs + GilNs + RunDelayNs;
  }
};

struct ProcessMetrics {
  int64_t Pid = 0, Ppid = 0;
  std::string Exe;
  int64_t WallNs = 0, CpuNs = 0, SpawnNs = 0;
  double Parallelism = 0;
  unsigned Threads = 0;
  bool Python = false, FreeThreaded = false;
  std::string PythonVersion;
};

/// Parallelism in one slice of the run (from per-thread samples).
struct ParallelismWindow {
  int64_t Start = 0, End = 0; ///< ns, relative to the profile start
  double Parallelism = 0;
  unsigned ActiveThreads = 0; ///< threads that ran or wanted to run
};

struct SiteMetrics {
  int64_t Id = 0;
  std::string Kind, Function, File, Module, Object;
  int64_t Line = 0, WaitNs = 0, Count = 0;
  double ShareOfWait = 0; ///< of the wait time of all sites
  /// What the rule packs say the site's function is, e.g. "std::thread::join:
  /// join (cxx-std)"; empty when no rule names it.
  std::string Api;
  /// A worker thread waited here (or intervals do not tell). A main thread
  /// blocked in join() for the whole run is not contention worth fixing.
  bool WaitedByWorkers = true;
  std::string location() const;  ///< "function (file:line)" or the module
  std::string kindLabel() const; ///< "lock", "GIL", "I/O", "sleep", "condition"
};

struct Metrics {
  int Cores = 1;
  int64_t WallNs = 0, CpuNs = 0;
  double Parallelism = 0; ///< sum of thread CPU / wall
  /// Sum of thread CPU + run delay / wall: the cores the program wanted. On
  /// a loaded machine CPU parallelism understates what it would get.
  double DemandParallelism = 0;
  unsigned Threads = 0, Processes = 0;
  /// Threads whose busy time is at least WorkerBusyShare of the busiest
  /// one's; a main thread that only starts and joins the others is not one.
  unsigned WorkerThreads = 0;
  double TopThreadBusyShare = 0;   ///< busiest thread's share of all busy time
  TimeShares Shares;               ///< over all threads
  double SerializedShare = 0;      ///< of wall: someone waited on a lock/GIL
  bool IntervalsAvailable = false; ///< per-wait intervals were recorded
  bool Python = false;             ///< some process is CPython
  bool GilPython = false;          ///< ... with a GIL
  bool FreeThreadedPython = false;
  bool GilMeasured = false;     ///< GIL waits were recorded
  int64_t PythonCpuNs = 0;      ///< CPU of GIL Python processes
  int64_t LockSerializedNs = 0; ///< wall during which a lock was waited on
  /// CPU spent in windows where at most one thread was active: a set-up or
  /// merge phase that runs serially whatever the number of workers.
  int64_t OneThreadPhaseCpuNs = 0;
  int64_t IpcWaitNs = 0;        ///< pipe waits between profiled processes
  double MeanSpawnNs = 0;       ///< measured per child process, 0 = none
  int64_t RootSpawnNs = 0;      ///< exec-to-init of the root process
  unsigned WorkerProcesses = 0; ///< processes holding a worker thread
  std::string Mode;
  std::vector<ThreadMetrics> ThreadList;
  std::vector<ProcessMetrics> ProcessList;
  std::vector<ParallelismWindow> Windows;
  std::vector<ParallelismWindow> Phases; ///< adjacent windows merged
  std::vector<SiteMetrics> Sites;        ///< by wait time, highest first
  /// Python functions over all threads of GIL processes, by GIL wait + CPU.
  std::vector<PythonFunctionMetrics> PythonFunctions;
  /// Some GIL process recorded no Python frames (its "python.stacks" false).
  bool PythonStacksMissing = false;

  /// The lock or GIL site worker threads waited on most, or null.
  const SiteMetrics *topContendedSite() const;
  std::vector<ProfileEvent> EventsAvailable, EventsUnavailable;
};

/// A worker's busy time is at least this share of the busiest thread's.
constexpr double WorkerBusyShare = 0.25;

/// Fills M.PythonFunctions and each thread's from the profile's stacks.
void addPythonFunctions(const Profile &P, Metrics &M);

/// Rules, when given, classify the contended and blocking sites (rules/*.yaml:
/// which functions lock, block, join). A join is never contention to fix.
Metrics computeMetrics(const Profile &P, const RuleSet *Rules = nullptr);

//===-- Verdict -----------------------------------------------------------===//

enum class Verdict { Threads, Processes, FixContention, Serial };
llvm::StringRef verdictName(Verdict V);

/// Decision thresholds. Each sits far from the workloads the tests use (see
/// CONVENTIONS "Measuring") and is explained in docs/runtime.md "Verdicts".
struct VerdictThresholds {
  double ShortRunNs = 20e6;          ///< shorter runs: nothing to gain
  double OneThreadBusyShare = 0.90;  ///< one thread does "all the work"
  /// Of a thread's lifetime spent waiting for a lock: the thread is starved
  /// (an unfair mutex that one thread keeps re-taking looks like "one
  /// worker", but the others want to work).
  double StarvedLockShare = 0.50;
  double GilShare = 0.25;            ///< GIL wait share of active time
  double LockShare = 0.25;           ///< lock wait share of active time
  double LockSerializedShare = 0.30; ///< of wall: someone waited on a lock
  double IoShare = 0.50;             ///< I/O + sleep share of active time
  double ScalingEfficiency = 0.60;   ///< parallelism / min(workers, cores)
  double OversubscribedShare = 0.20; ///< runnable share worth a warning
};

struct SpeedupPrediction {
  std::vector<unsigned> Workers;
  std::vector<double> Threads, Processes, FixContention;
  std::string ThreadsModel;  ///< "amdahl" or "usl"
  double SerialFraction = 0; ///< of the threads option (Amdahl's s)
  std::optional<UslParams> Usl;
  bool SpawnCostMeasured = false;
  double SpawnCostNs = 0;
};

struct Recommendation {
  Verdict V = Verdict::Serial;
  double Confidence = 0;
  std::string Rule;                  ///< which rule decided, for the docs
  std::vector<std::string> Evidence; ///< sentences with measured numbers
  std::vector<std::string> Notes;    ///< caveats (free-threaded, proc-only...)
  SpeedupPrediction Speedup;
};

SpeedupPrediction predictSpeedups(const Metrics &M);
Recommendation recommend(const Metrics &M,
                         const VerdictThresholds &T = VerdictThresholds());

} // namespace threadwise::runtime

#endif
