//===- Verdict.cpp - Metrics -> verdict, evidence, predicted speed-ups ----===//
//
// The rules run in a fixed order and the first that matches decides; the
// order encodes which cause explains the others (a GIL-bound program also has
// low parallelism, but "use processes" is the actionable answer). See
// docs/runtime.md "Verdicts" for the table this implements.
//
//===----------------------------------------------------------------------===//
#include "analyze/Format.h"
#include "threadwise/runtime/ProfileAnalysis.h"
#include <algorithm>
#include <cmath>
#include <set>

using namespace threadwise::runtime;

/// Assumed cost of one extra worker process when the run started none.
static constexpr double AssumedPythonSpawnNs = 50e6; // interpreter + imports
static constexpr double AssumedNativeSpawnNs = 1e6;  // fork + exec

llvm::StringRef threadwise::runtime::verdictName(Verdict V) {
  switch (V) {
  case Verdict::Threads:
    return "threads";
  case Verdict::Processes:
    return "processes";
  case Verdict::FixContention:
    return "fix-contention";
  case Verdict::Serial:
    return "serial";
  }
  return "serial";
}

namespace {
struct WorkerSums {
  double Cpu = 0, NonWorkerCpu = 0, Overlap = 0;
};
} // namespace

static WorkerSums sumWork(const Metrics &M) {
  WorkerSums S;
  for (const ThreadMetrics &T : M.ThreadList) {
    if (T.Worker) {
      S.Cpu += T.CpuNs;
      S.Overlap += T.IoNs + T.SleepNs;
    } else {
      S.NonWorkerCpu += T.CpuNs;
    }
  }
  return S;
}

SpeedupPrediction threadwise::runtime::predictSpeedups(const Metrics &M) {
  SpeedupPrediction P;
  std::set<unsigned> Ns = {2u, 4u, unsigned(M.Cores), 2u * unsigned(M.Cores)};
  Ns.erase(1u); // one worker is the baseline, not a prediction
  P.Workers.assign(Ns.begin(), Ns.end());

  WorkerSums S = sumWork(M);
  double PyCpu = std::min<double>(M.PythonCpuNs, S.Cpu);
  double LockCpu = std::min<double>(S.Cpu, M.LockSerializedNs);
  double NativeLockCpu = std::min<double>(S.Cpu - PyCpu, M.LockSerializedNs);

  // Children's start-up when the run had some, else the root's own exec.
  double Measured = M.MeanSpawnNs > 0 ? M.MeanSpawnNs : double(M.RootSpawnNs);
  P.SpawnCostMeasured = Measured > 0;
  P.SpawnCostNs = P.SpawnCostMeasured ? Measured
                  : M.Python          ? AssumedPythonSpawnNs
                                      : AssumedNativeSpawnNs;

  WorkModel Threads, Processes, Fixed;
  Threads.Cores = Processes.Cores = Fixed.Cores = M.Cores;
  if (M.WorkerThreads <= 1) {
    // One worker gives no evidence that its work splits: model it as serial.
    double All = S.Cpu + S.NonWorkerCpu + S.Overlap;
    Threads.SerialCpuNs = Processes.SerialCpuNs = Fixed.SerialCpuNs = All;
  } else {
    // CPU of one-thread phases (set-up, merge) stays serial under every
    // option; the lock / GIL estimates may already cover part of it.
    double Phase = std::min<double>(M.OneThreadPhaseCpuNs, S.Cpu);
    double ThreadSerial = std::max(PyCpu + NativeLockCpu, Phase);
    double ProcSerial = std::max(LockCpu, Phase);
    double FixedSerial = std::max(PyCpu, Phase);
    Threads.SerialCpuNs = S.NonWorkerCpu + ThreadSerial;
    Threads.ParallelCpuNs = S.Cpu - ThreadSerial;
    Processes.SerialCpuNs = S.NonWorkerCpu + ProcSerial;
    Processes.ParallelCpuNs = S.Cpu - ProcSerial;
    Fixed.SerialCpuNs = S.NonWorkerCpu + FixedSerial;
    Fixed.ParallelCpuNs = S.Cpu - FixedSerial;
    Threads.OverlapNs = Processes.OverlapNs = Fixed.OverlapNs = S.Overlap;
  }
  Processes.SpawnCostNs = P.SpawnCostNs;
  P.SerialFraction = Threads.serialFraction();
  P.ThreadsModel = "amdahl";

  // USL where the run itself shows several concurrency levels of CPU-bound
  // work: windows with 1, 2, ... active threads (at most one per core).
  if (M.WorkerThreads >= 2 && !M.GilPython && M.Shares.offCpuIo() < 0.2) {
    std::vector<std::pair<double, double>> Pts;
    for (const ParallelismWindow &W : M.Windows)
      if (W.ActiveThreads >= 1 && W.ActiveThreads <= unsigned(M.Cores))
        Pts.push_back({double(W.ActiveThreads), W.Parallelism});
    P.Usl = fitUsl(Pts);
    if (P.Usl)
      P.ThreadsModel = "usl";
  }
  for (unsigned N : P.Workers) {
    double T = P.Usl ? uslSpeedup(*P.Usl, std::min<double>(N, M.Cores))
                     : Threads.speedup(N);
    P.Threads.push_back(T);
    P.Processes.push_back(Processes.speedup(N));
    P.FixContention.push_back(std::max(T, Fixed.speedup(N)));
  }
  return P;
}

namespace {
/// Builds the recommendation; keeps evidence to the few lines that matter.
class Decider {
public:
  Decider(const Metrics &M, const VerdictThresholds &T) : M(M), T(T) {}
  Recommendation run();

private:
  const Metrics &M;
  const VerdictThresholds &T;
  Recommendation R;

  unsigned usableWays() const {
    return std::max(1u, std::min(M.WorkerThreads, unsigned(M.Cores)));
  }
  /// CPU parallelism over what the workers could use.
  double cpuEfficiency() const { return M.Parallelism / usableWays(); }
  /// The same for CPU + run delay: the cores the workers wanted. On a busy
  /// machine (or with more threads than cores) scalable threads spend much
  /// of their time runnable, which CPU parallelism alone would miss.
  double efficiency() const {
    return std::min<double>(M.DemandParallelism, usableWays()) / usableWays();
  }
  double lockSerializedShare() const {
    return M.WallNs > 0 ? std::min(1.0, double(M.LockSerializedNs) / M.WallNs)
                        : 0;
  }
  /// Threads other than the busiest one that spent StarvedLockShare or more
  /// of their lifetime waiting for a lock.
  unsigned lockStarvedThreads() const {
    auto Busiest = std::max_element(
        M.ThreadList.begin(), M.ThreadList.end(),
        [](const ThreadMetrics &A, const ThreadMetrics &B) { return A.busyNs() < B.busyNs(); });
    return std::count_if(M.ThreadList.begin(), M.ThreadList.end(), [&](const ThreadMetrics &Th) {
      return &Th != &*Busiest && Th.LifetimeNs > 0 &&
             Th.LockNs >= T.StarvedLockShare * Th.LifetimeNs;
    });
  }
  std::string demandNote() const {
    if (M.DemandParallelism < M.Parallelism + 0.2)
      return "";
    return " (CPU + waiting for a core: " + formatFixed(M.DemandParallelism) +
           " cores' worth)";
  }
  void decide(Verdict V, std::string Rule, double Confidence) {
    R.V = V;
    R.Rule = std::move(Rule);
    R.Confidence = Confidence;
  }
  /// 0.55 at the threshold, rising to 0.95 one Span beyond it.
  static double ramp(double X, double Threshold, double Span) {
    return 0.55 + 0.40 * std::clamp((X - Threshold) / Span, 0.0, 1.0);
  }
  std::string parallelismLine() const;
  std::string topSiteLine(llvm::StringRef Kind) const;
};
} // namespace

std::string Decider::parallelismLine() const {
  std::string S = "Effective parallelism " + formatFixed(M.Parallelism) + ": " +
                  formatDuration(M.CpuNs) + " of CPU in " +
                  formatDuration(M.WallNs) + " wall, " +
                  std::to_string(M.WorkerThreads) + " worker thread" +
                  (M.WorkerThreads == 1 ? "" : "s");
  if (M.WorkerProcesses > 1)
    S += " in " + std::to_string(M.WorkerProcesses) + " processes";
  return S + " on " + std::to_string(M.Cores) + " core" +
         (M.Cores == 1 ? "" : "s") + ".";
}

std::string Decider::topSiteLine(llvm::StringRef Kind) const {
  for (const SiteMetrics &S : M.Sites)
    if (S.Kind == Kind && S.WaitNs > 0 && S.WaitedByWorkers)
      return "Most contended: " + S.location() + ", " +
             formatDuration(S.WaitNs) + " waited over " +
             std::to_string(S.Count) + " waits (" +
             formatPercent(S.ShareOfWait) + " of all waits).";
  return "";
}

Recommendation Decider::run() {
  // The cause rules compare the workers' own time (run delay left out): a
  // busy machine inflates run delay for everybody and would dilute every
  // other share. Run delay is judged on its own (oversubscription).
  TimeShares Sh = M.Shares;
  double Own = 1.0 - Sh.Runnable;
  if (Own > 0.05) {
    Sh.Cpu /= Own;
    Sh.Lock /= Own;
    Sh.Io /= Own;
    Sh.Sleep /= Own;
    Sh.Gil /= Own;
  }
  std::vector<std::string> &E = R.Evidence;
  bool GilBound = M.GilPython && M.GilMeasured && Sh.Gil >= T.GilShare &&
                  Sh.Gil >= Sh.offCpuIo();
  bool GilInferred = M.GilPython && !M.GilMeasured && M.WorkerThreads >= 2 &&
                     M.WorkerProcesses <= 1 &&
                     M.Shares.Cpu + M.Shares.Runnable >= 0.5 &&
                     cpuEfficiency() < T.ScalingEfficiency;
  bool OneWorker = M.WorkerThreads <= 1 || M.TopThreadBusyShare >= T.OneThreadBusyShare;
  unsigned Starved = lockStarvedThreads();

  if (M.WallNs < T.ShortRunNs) {
    decide(Verdict::Serial, "short-run", 0.6);
    E.push_back("The run took " + formatDuration(M.WallNs) +
                ": starting threads or processes would cost about as much "
                "as it could save.");
    E.push_back(parallelismLine());
  } else if (OneWorker && Starved > 0) {
    // Checked before one-worker: the other threads did no work because they
    // queued on the lock the busy thread held, not because they had none.
    decide(Verdict::FixContention, "lock-starved", 0.7);
    E.push_back("One thread did " + formatPercent(M.TopThreadBusyShare) +
                " of the work while " + std::to_string(Starved) + " other thread" +
                (Starved == 1 ? "" : "s") + " spent over " +
                formatPercent(T.StarvedLockShare) +
                " of their lifetime waiting for a lock: the lock serializes "
                "(and starves) them.");
    E.push_back(parallelismLine());
    std::string Top = topSiteLine("lock");
    if (!Top.empty())
      E.push_back(Top);
  } else if (OneWorker) {
    decide(Verdict::Serial, "one-worker",
           M.WorkerThreads <= 1
               ? 0.9
               : ramp(M.TopThreadBusyShare, T.OneThreadBusyShare, 0.08));
    E.push_back("One thread did " + formatPercent(M.TopThreadBusyShare) +
                " of the work (CPU + I/O) across " + std::to_string(M.Threads) +
                " thread" + (M.Threads == 1 ? "" : "s") +
                ": there is no concurrent work to spread.");
    E.push_back(parallelismLine());
  } else if (M.Cores < 2 && Sh.offCpuIo() < T.IoShare) {
    // The seed's own caveat: processes (and threads) help CPU-bound work
    // only "if your machine has multiple cores".
    decide(Verdict::Serial, "one-core", 0.8);
    E.push_back("Only one core is available to the run: CPU-bound work "
                "cannot run in parallel here, with threads or processes.");
    E.push_back(parallelismLine());
  } else if (GilBound) {
    decide(Verdict::Processes, "gil-bound", ramp(Sh.Gil, T.GilShare, 0.35));
    int64_t Waits = 0;
    for (const ThreadMetrics &Th : M.ThreadList)
      Waits += Th.GilWaits;
    E.push_back("GIL waits take " + formatPercent(Sh.Gil) +
                " of the worker threads' own time (" + std::to_string(Waits) +
                " waits): only one thread runs Python code at a time.");
    E.push_back(parallelismLine());
    E.push_back("CPU " + formatPercent(Sh.Cpu) + ", I/O and sleep " +
                formatPercent(Sh.offCpuIo()) +
                ": the work is CPU-bound, so separate processes (one GIL "
                "each) can run it in parallel.");
  } else if (GilInferred) {
    decide(Verdict::Processes, "gil-inferred", 0.55);
    E.push_back(parallelismLine());
    E.push_back("CPython threads are CPU-bound (CPU + runnable " +
                formatPercent(M.Shares.Cpu + M.Shares.Runnable) +
                " of their time) yet do not scale; GIL waits were not "
                "recorded, so the GIL is inferred.");
  } else if (Sh.Lock >= T.LockShare && Sh.Lock >= Sh.offCpuIo() &&
             lockSerializedShare() >= T.LockSerializedShare) {
    decide(Verdict::FixContention, "lock-bound",
           ramp(Sh.Lock, T.LockShare, 0.35));
    E.push_back("Lock waits take " + formatPercent(Sh.Lock) +
                " of the worker threads' own time; some thread waited for a "
                "lock during " +
                formatPercent(lockSerializedShare()) + " of the run.");
    E.push_back(parallelismLine());
    std::string Top = topSiteLine("lock");
    if (!Top.empty())
      E.push_back(Top);
  } else if (Sh.offCpuIo() >= T.IoShare) {
    decide(Verdict::Threads, "io-bound", ramp(Sh.offCpuIo(), T.IoShare, 0.3));
    E.push_back("I/O and sleep take " + formatPercent(Sh.offCpuIo()) +
                " of the worker threads' own time (CPU " +
                formatPercent(Sh.Cpu) +
                "): threads overlap the waiting at little cost.");
    E.push_back(parallelismLine());
    if (M.WorkerProcesses > 1)
      E.push_back("The work runs in " + std::to_string(M.WorkerProcesses) +
                  " processes; for I/O, threads in one process cost less "
                  "(no start-up, no data copied between processes).");
  } else if (efficiency() >= T.ScalingEfficiency && M.WorkerProcesses > 1) {
    decide(Verdict::Processes, "processes-scale",
           ramp(efficiency(), T.ScalingEfficiency, 0.3));
    E.push_back(parallelismLine());
    E.push_back(formatPercent(efficiency()) + " of the ideal " +
                std::to_string(usableWays()) + "-way parallelism" +
                demandNote() + ": the worker processes scale.");
  } else if (efficiency() >= T.ScalingEfficiency) {
    decide(Verdict::Threads, "threads-scale",
           ramp(efficiency(), T.ScalingEfficiency, 0.3));
    E.push_back(parallelismLine());
    E.push_back(formatPercent(efficiency()) + " of the ideal " +
                std::to_string(usableWays()) + "-way parallelism" +
                demandNote() + ": the threads scale" +
                (M.FreeThreadedPython ? " (free-threaded Python)." : "."));
  } else {
    decide(Verdict::Serial, "no-benefit", 0.4);
    E.push_back(parallelismLine());
    E.push_back("Concurrency is not paying off (" +
                formatPercent(efficiency()) + " of the ideal " +
                std::to_string(usableWays()) +
                "-way parallelism) and no single cause (lock, GIL, I/O) "
                "dominates.");
  }

  // Secondary evidence, most telling first; the summary keeps five lines.
  if (M.Shares.Runnable >= T.OversubscribedShare)
    E.push_back("Threads were runnable but not running " +
                formatPercent(M.Shares.Runnable) +
                " of their time: more runnable threads than the " +
                std::to_string(M.Cores) +
                (M.Cores == 1 ? " core." : " cores."));
  if (M.Processes > 1 && M.MeanSpawnNs > 0)
    E.push_back("Starting a child process cost " +
                formatDuration(M.MeanSpawnNs) + " on average (" +
                std::to_string(M.Processes - 1) + " children).");
  if (M.Processes > 1 && M.IpcWaitNs > 0)
    E.push_back("Processes waited " + formatDuration(M.IpcWaitNs) +
                " on pipes to each other (IPC: tasks and results).");
  if (E.size() > 5)
    E.resize(5);

  if (M.FreeThreadedPython)
    R.Notes.push_back("Free-threaded CPython: there is no GIL, so GIL "
                      "reasoning is off and Python threads can use all "
                      "cores.");
  if (M.Mode == "proc-only") {
    R.Notes.push_back("Recorded without the preload library (proc-only): "
                      "lock, I/O and GIL waits are not split out.");
    R.Confidence *= 0.85;
  }
  if (M.Mode == "attach") {
    R.Notes.push_back("Attached to a running process: lock, I/O and GIL waits are "
                      "inferred from sampled /proc state (futex operation, system "
                      "call, wchan), coarser than the preload library's interposed "
                      "waits; sites are futex words and system calls, not call "
                      "sites.");
    for (const ProcessMetrics &P : M.ProcessList)
      if (P.Python) {
        R.Notes.push_back("CPython " + P.PythonVersion + " detected in pid " +
                          std::to_string(P.Pid) +
                          (P.FreeThreaded ? " (free-threaded: no GIL)."
                                          : ": its timed futex waits are counted as GIL "
                                            "waits."));
        break;
      }
    R.Confidence *= 0.9;
  }
  if (M.WallNs < 100e6 && R.Rule != "short-run")
    R.Confidence *= 0.9;
  R.Confidence = std::round(std::clamp(R.Confidence, 0.05, 0.99) * 100) / 100;
  R.Speedup = predictSpeedups(M);
  return R;
}

Recommendation threadwise::runtime::recommend(const Metrics &M,
                                              const VerdictThresholds &T) {
  return Decider(M, T).run();
}
