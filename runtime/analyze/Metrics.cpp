//===- Metrics.cpp - Profile -> parallelism, time shares, sites -----------===//
//
// Shares are computed over *worker* threads only: a main thread that sits in
// join() (a lock or condition wait for the whole run) is not contention, and
// counting it would make every threaded program look lock-bound.
//
//===----------------------------------------------------------------------===//
#include "threadwise/runtime/ProfileAnalysis.h"
#include "llvm/Support/Path.h"
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace threadwise;
using namespace threadwise::runtime;

/// A thread is "active" in a window when it ran or waited for CPU, a lock or
/// the GIL for at least this share of the window.
static constexpr double ActiveInWindowShare = 0.10;

std::string SiteMetrics::location() const {
  std::string Where = !Function.empty() ? Function
                      : Kind == "gil"   ? std::string("the GIL")
                                        : std::string("unknown function");
  if (!File.empty())
    Where += " (" + llvm::sys::path::filename(File).str() +
             (Line > 0 ? ":" + std::to_string(Line) : "") + ")";
  else if (!Module.empty())
    Where += " (" + llvm::sys::path::filename(Module).str() + ")";
  return Where;
}

static bool isSerializingKind(llvm::StringRef Kind) {
  return Kind == "lock" || Kind == "gil";
}

std::string SiteMetrics::kindLabel() const {
  if (Kind == "gil")
    return "GIL";
  if (Kind == "io")
    return "I/O";
  if (Kind == "wait")
    return "condition";
  return Kind;
}

const SiteMetrics *Metrics::topContendedSite() const {
  for (const SiteMetrics &S : Sites)
    if (S.WaitNs > 0 && S.WaitedByWorkers && isSerializingKind(S.Kind))
      return &S;
  return nullptr;
}

static bool isSerializing(const std::string &Kind) {
  return Kind == "lock" || Kind == "gil";
}

/// Total length of the union of [Start, End) ranges.
static int64_t unionLength(std::vector<std::pair<int64_t, int64_t>> R) {
  std::sort(R.begin(), R.end());
  int64_t Total = 0, CurS = 0, CurE = 0;
  bool Open = false;
  for (auto [S, E] : R) {
    if (!Open || S > CurE) {
      if (Open)
        Total += CurE - CurS;
      CurS = S;
      CurE = E;
      Open = true;
    } else {
      CurE = std::max(CurE, E);
    }
  }
  if (Open)
    Total += CurE - CurS;
  return Total;
}

/// Cumulative CPU (or run delay) of a thread at time T, interpolated between
/// (Start, 0), its samples, and (End, total).
static double cumulativeAt(const ProfileThread &Th, int64_t T, bool RunDelay) {
  std::vector<std::pair<int64_t, double>> Pts;
  Pts.push_back({Th.Start, 0});
  double Max = 0;
  for (const ProfileSample &S : Th.Samples) {
    double V = RunDelay ? S.RunDelayNs : S.CpuNs;
    Max = std::max(Max, V);
    if (S.T > Pts.back().first)
      Pts.push_back({S.T, Max});
  }
  double Total = std::max<double>(Max, RunDelay ? Th.RunDelayNs : Th.cpuNs());
  if (Th.End > Pts.back().first)
    Pts.push_back({Th.End, Total});
  if (T <= Pts.front().first)
    return 0;
  if (T >= Pts.back().first)
    return Pts.back().second;
  for (size_t I = 1; I < Pts.size(); ++I)
    if (T <= Pts[I].first) {
      auto [T0, V0] = Pts[I - 1];
      auto [T1, V1] = Pts[I];
      return V0 + (V1 - V0) * double(T - T0) / double(T1 - T0);
    }
  return Total;
}

static void computeWindows(const Profile &P, Metrics &M) {
  if (M.WallNs <= 0)
    return;
  int64_t K = std::clamp<int64_t>(M.WallNs / 10'000'000, 1, 60);
  int64_t Len = M.WallNs / K;
  if (Len <= 0)
    return;
  for (int64_t W = 0; W < K; ++W) {
    ParallelismWindow Win;
    Win.Start = W * Len;
    Win.End = W == K - 1 ? M.WallNs : (W + 1) * Len;
    int64_t A = P.Start + Win.Start, B = P.Start + Win.End;
    double Cpu = 0;
    for (const ProfileProcess &Proc : P.Processes)
      for (const ProfileThread &Th : Proc.Threads) {
        if (Th.End <= A || Th.Start >= B)
          continue;
        double C = cumulativeAt(Th, B, false) - cumulativeAt(Th, A, false);
        double D = cumulativeAt(Th, B, true) - cumulativeAt(Th, A, true);
        Cpu += C;
        double Waiting = 0;
        for (const ProfileInterval &I : Th.Intervals)
          if (isSerializing(I.Kind))
            Waiting +=
                std::max<int64_t>(0, std::min(I.End, B) - std::max(I.Start, A));
        if (C + D + Waiting >= ActiveInWindowShare * double(B - A))
          ++Win.ActiveThreads;
      }
    Win.Parallelism = Cpu / double(B - A);
    // One thread alone kept a core busy: a serial phase. (Windows of I/O
    // threads with little CPU also have one active thread; they are not.)
    if (Win.ActiveThreads <= 1 && Win.Parallelism >= 0.5)
      M.OneThreadPhaseCpuNs += int64_t(Cpu);
    M.Windows.push_back(Win);
  }
  // Phases: adjacent windows whose parallelism stays within 0.5 of the
  // phase's running mean belong together.
  for (const ParallelismWindow &W : M.Windows) {
    if (!M.Phases.empty()) {
      ParallelismWindow &Ph = M.Phases.back();
      if (std::fabs(W.Parallelism - Ph.Parallelism) < 0.5) {
        double L0 = double(Ph.End - Ph.Start), L1 = double(W.End - W.Start);
        Ph.Parallelism = (Ph.Parallelism * L0 + W.Parallelism * L1) / (L0 + L1);
        Ph.ActiveThreads = std::max(Ph.ActiveThreads, W.ActiveThreads);
        Ph.End = W.End;
        continue;
      }
    }
    M.Phases.push_back(W);
  }
}

/// "std::mutex::lock() const" -> what the rule packs call it, or "".
static std::string classifySite(const RuleSet &Rules, llvm::StringRef Function,
                                bool &IsJoin) {
  IsJoin = false;
  llvm::StringRef Name = Function.take_until([](char C) { return C == '('; });
  Name = Name.trim();
  if (Name.empty())
    return "";
  std::string N = Name.str();
  if (const JoinRule *J = Rules.join(N)) {
    IsJoin = true;
    return N + ": join (" + J->Library + ")";
  }
  if (const LockRule *L = Rules.lock(N))
    return N + ": lock (" + L->Library + ")";
  if (const BlockingRule *B = Rules.blocking(N)) {
    static const char *Kinds[] = {"I/O", "sleep", "wait", "network"};
    return N + ": blocking " + Kinds[unsigned(B->Kind) % 4] + " (" +
           B->Library + ")";
  }
  return "";
}

Metrics threadwise::runtime::computeMetrics(const Profile &P,
                                            const RuleSet *Rules) {
  Metrics M;
  M.Cores = P.Cores;
  M.WallNs = P.WallNs;
  M.Mode = P.Mode;
  M.EventsAvailable = P.EventsAvailable;
  M.EventsUnavailable = P.EventsUnavailable;
  M.Processes = P.Processes.size();

  std::set<int64_t> Pids, ParentPids;
  for (const ProfileProcess &Proc : P.Processes)
    Pids.insert(Proc.Pid);
  for (const ProfileProcess &Proc : P.Processes)
    if (Pids.count(Proc.Ppid))
      ParentPids.insert(Proc.Ppid);
  double SpawnSum = 0;
  unsigned SpawnCount = 0;
  for (const ProfileProcess &Proc : P.Processes) {
    ProcessMetrics PM;
    PM.Pid = Proc.Pid;
    PM.Ppid = Proc.Ppid;
    PM.Exe = Proc.Exe;
    PM.WallNs = Proc.End > Proc.Start ? Proc.End - Proc.Start : P.WallNs;
    PM.SpawnNs = Proc.SpawnNs;
    PM.Threads = Proc.Threads.size();
    PM.Python = Proc.Python.Present;
    PM.FreeThreaded = Proc.Python.FreeThreaded;
    PM.PythonVersion = Proc.Python.Version;
    M.Python |= Proc.Python.Present;
    M.GilPython |= Proc.hasGil();
    M.FreeThreadedPython |= Proc.Python.Present && Proc.Python.FreeThreaded;
    if (Pids.count(Proc.Ppid) && Proc.SpawnNs > 0) {
      SpawnSum += Proc.SpawnNs;
      ++SpawnCount;
    } else if (!Pids.count(Proc.Ppid) && M.RootSpawnNs == 0) {
      M.RootSpawnNs = Proc.SpawnNs;
    }
    for (const ProfileThread &Th : Proc.Threads) {
      ThreadMetrics T;
      T.Pid = Proc.Pid;
      T.Tid = Th.Tid;
      T.Name = Th.Name;
      T.LifetimeNs = Th.lifetimeNs();
      T.CpuNs = Th.cpuNs();
      T.LockNs = Th.LockWaitNs;
      T.IoNs = Th.IoWaitNs;
      if (P.Processes.size() > 1) {
        T.IpcNs = Th.PipeWaitNs;
        T.IoNs -= T.IpcNs;
        M.IpcWaitNs += T.IpcNs;
      }
      T.SleepNs = Th.SleepNs;
      T.WaitNs = Th.CondWaitNs;
      T.GilNs = Proc.hasGil() ? Th.GilWaitNs : 0;
      T.RunDelayNs = Th.RunDelayNs;
      T.GilWaits = Th.GilWaits;
      T.GilDrops = Th.GilDrops;
      T.Python = Proc.Python.Present;
      T.InParentProcess = ParentPids.count(Proc.Pid);
      if (Th.GilWaits > 0 || Th.GilWaitNs > 0)
        M.GilMeasured = true;
      if (!Th.Intervals.empty())
        M.IntervalsAvailable = true;
      PM.CpuNs += T.CpuNs;
      M.CpuNs += T.CpuNs;
      M.ThreadList.push_back(std::move(T));
    }
    PM.Parallelism = PM.WallNs > 0 ? double(PM.CpuNs) / PM.WallNs : 0;
    M.ProcessList.push_back(std::move(PM));
  }
  M.Threads = M.ThreadList.size();
  addPythonFunctions(P, M);
  M.Parallelism = M.WallNs > 0 ? double(M.CpuNs) / M.WallNs : 0;
  M.MeanSpawnNs = SpawnCount ? SpawnSum / SpawnCount : 0;

  // Worker threads and the shares of their active time.
  int64_t MaxBusy = 0, SumBusy = 0;
  for (const ThreadMetrics &T : M.ThreadList) {
    MaxBusy = std::max(MaxBusy, T.busyNs());
    SumBusy += T.busyNs();
  }
  M.TopThreadBusyShare = SumBusy > 0 ? double(MaxBusy) / SumBusy : 1.0;
  double Demand = 0;
  for (ThreadMetrics &T : M.ThreadList) {
    T.Worker = MaxBusy > 0 && T.busyNs() >= WorkerBusyShare * MaxBusy;
    Demand += T.CpuNs + T.RunDelayNs;
  }
  M.DemandParallelism = M.WallNs > 0 ? Demand / M.WallNs : 0;
  double Active = 0;
  TimeShares Sum;
  std::set<int64_t> WorkerPids;
  std::map<int64_t, std::vector<std::pair<int64_t, int64_t>>> SerialByPid,
      LockByPid;
  std::map<int64_t, double> WaitByPid;
  std::map<int64_t, unsigned> WorkersByPid;
  for (const ThreadMetrics &T : M.ThreadList) {
    if (!T.Worker)
      continue;
    ++M.WorkerThreads;
    WorkerPids.insert(T.Pid);
    ++WorkersByPid[T.Pid];
    Active += T.activeNs();
    Sum.Cpu += T.CpuNs;
    Sum.Lock += T.LockNs;
    Sum.Io += T.IoNs;
    Sum.Sleep += T.SleepNs;
    Sum.Gil += T.GilNs;
    Sum.Runnable += T.RunDelayNs;
    WaitByPid[T.Pid] += T.LockNs + T.GilNs;
  }
  if (Active > 0) {
    M.Shares.Cpu = Sum.Cpu / Active;
    M.Shares.Lock = Sum.Lock / Active;
    M.Shares.Io = Sum.Io / Active;
    M.Shares.Sleep = Sum.Sleep / Active;
    M.Shares.Gil = Sum.Gil / Active;
    M.Shares.Runnable = Sum.Runnable / Active;
  }
  M.WorkerProcesses = WorkerPids.size();

  // Serialized time: the union, per process, of the worker threads' lock and
  // GIL waits. Without intervals, n workers queueing on one lock leave n - 1
  // waiting at any moment, which gives the estimate below.
  // ThreadList follows the profile's process/thread order.
  size_t Flat = 0;
  for (const ProfileProcess &Proc : P.Processes) {
    bool Gil = Proc.hasGil();
    for (const ProfileThread &Th : Proc.Threads) {
      const ThreadMetrics &T = M.ThreadList[Flat++];
      if (!T.Worker)
        continue;
      if (Gil) // with a GIL, Python CPU of worker threads runs one at a time
        M.PythonCpuNs += T.CpuNs;
      for (const ProfileInterval &In : Th.Intervals) {
        if (In.Kind == "lock" || (Gil && In.Kind == "gil"))
          SerialByPid[Proc.Pid].push_back({In.Start, In.End});
        if (In.Kind == "lock")
          LockByPid[Proc.Pid].push_back({In.Start, In.End});
      }
    }
  }
  int64_t Serialized = 0;
  for (auto &[Pid, Ranges] : SerialByPid)
    Serialized += unionLength(Ranges);
  for (auto &[Pid, Ranges] : LockByPid)
    M.LockSerializedNs += unionLength(Ranges);
  if (!M.IntervalsAvailable) {
    Serialized = 0;
    for (auto &[Pid, W] : WaitByPid)
      Serialized += int64_t(W / std::max(1u, WorkersByPid[Pid] - 1));
    int64_t LockSum = 0;
    for (const ThreadMetrics &T : M.ThreadList)
      if (T.Worker)
        LockSum += T.LockNs;
    M.LockSerializedNs = std::min<int64_t>(
        M.WallNs, LockSum / std::max(1u, M.WorkerThreads - 1));
  }
  M.SerializedShare =
      M.WallNs > 0 ? std::min(1.0, double(Serialized) / M.WallNs) : 0;

  // Sites by wait time; a site without a total gets one from its intervals.
  std::map<int64_t, int64_t> FromIntervals;
  std::map<int64_t, int64_t> CountFromIntervals;
  std::set<int64_t> SeenInIntervals, SeenByWorkers;
  Flat = 0;
  for (const ProfileProcess &Proc : P.Processes)
    for (const ProfileThread &Th : Proc.Threads) {
      bool Worker = M.ThreadList[Flat++].Worker;
      for (const ProfileInterval &In : Th.Intervals)
        if (In.Site >= 0) {
          FromIntervals[In.Site] += In.End - In.Start;
          ++CountFromIntervals[In.Site];
          SeenInIntervals.insert(In.Site);
          if (Worker)
            SeenByWorkers.insert(In.Site);
        }
    }
  double TotalWait = 0;
  for (const ProfileSite &S : P.Sites) {
    SiteMetrics SM;
    SM.Id = S.Id;
    SM.Kind = S.Kind;
    SM.Function = S.Function;
    SM.File = S.File;
    SM.Module = S.Module;
    SM.Object = S.Object;
    SM.Line = S.Line;
    SM.WaitNs = S.WaitNs > 0 ? S.WaitNs : FromIntervals[S.Id];
    SM.Count = S.Count > 0 ? S.Count : CountFromIntervals[S.Id];
    SM.WaitedByWorkers =
        !SeenInIntervals.count(S.Id) || SeenByWorkers.count(S.Id);
    if (Rules) {
      bool IsJoin = false;
      SM.Api = classifySite(*Rules, S.Function, IsJoin);
      if (IsJoin)
        SM.WaitedByWorkers = false;
    }
    TotalWait += SM.WaitNs;
    M.Sites.push_back(std::move(SM));
  }
  for (SiteMetrics &S : M.Sites)
    S.ShareOfWait = TotalWait > 0 ? S.WaitNs / TotalWait : 0;
  std::stable_sort(M.Sites.begin(), M.Sites.end(),
                   [](const SiteMetrics &A, const SiteMetrics &B) {
                     return A.WaitNs > B.WaitNs;
                   });

  computeWindows(P, M);
  return M;
}
