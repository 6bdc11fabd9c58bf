//===- ProfileBuilder.cpp - Merge record files and /proc samples into JSON -===//
#include "ProfileBuilder.h"
#include "SiteSymbolizer.h"
#include "StackBuilder.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <sched.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace llvm;

namespace threadwise::collect {

static const char *const KindNames[TW_KIND_COUNT] = {"lock", "io", "sleep", "wait", "gil"};
static const char *const FdKindNames[TW_FD_KIND_COUNT] = {"",     "pipe", "socket",
                                                          "file", "tty",  "other"};

static int64_t rel(uint64_t Abs, uint64_t T0) {
  return Abs >= T0 ? static_cast<int64_t>(Abs - T0) : 0;
}
static json::Value num(uint64_t V) { return static_cast<int64_t>(V); }

json::Object exitObject(int S) {
  if (WIFSIGNALED(S))
    return json::Object{{"code", 128 + WTERMSIG(S)}, {"signal", WTERMSIG(S)}};
  return json::Object{{"code", WIFEXITED(S) ? WEXITSTATUS(S) : 0}, {"signal", 0}};
}

static std::string pythonVersion(uint64_t Hex) {
  return std::to_string((Hex >> 24) & 0xff) + "." + std::to_string((Hex >> 16) & 0xff) + "." +
         std::to_string((Hex >> 8) & 0xff);
}

namespace {

struct Site {
  int64_t Id;
  int Kind;
  SiteLocation Loc;
  uint64_t Object = 0, WaitNs = 0, Count = 0;
};

/// Sites across all processes, merged by (module, module address, kind) so the
/// same lock call in 4 pool workers is one row.
class SiteTable {
public:
  explicit SiteTable(SiteSymbolizer &Symbolizer) : Symbolizer(Symbolizer) {}
  int64_t get(pid_t Pid, uint64_t Addr, int Kind, uint64_t Object,
              const std::vector<Mapping> &Maps) {
    // For io waits the preload's "object" is what was waited on (tw_fd_kind).
    uint64_t FdKind = Kind == TW_IO ? Object % TW_FD_KIND_COUNT : 0;
    auto RawKey = std::make_tuple(Pid, Addr, Kind * 8 + static_cast<int>(FdKind));
    if (auto It = ByRaw.find(RawKey); It != ByRaw.end())
      return It->second;
    SiteLocation Loc = Symbolizer.lookup(Addr, Maps);
    auto Key = std::make_tuple(Loc.Module.empty() ? std::to_string(Pid) : Loc.Module,
                               Loc.Module.empty() ? Addr : Loc.ModuleAddress,
                               Kind * 8 + static_cast<int>(FdKind));
    int64_t Id;
    if (auto It = ByLocation.find(Key); It != ByLocation.end()) {
      Id = It->second;
    } else {
      Id = static_cast<int64_t>(Sites.size());
      Sites.push_back({Id, Kind, Loc, Object, 0, 0});
      ByLocation.emplace(Key, Id);
    }
    ByRaw.emplace(RawKey, Id);
    return Id;
  }
  /// A wait site inferred in attach mode: a futex word (named after the
  /// global holding it when there is one) or a blocking system call.
  int64_t getInferred(const WaitSite &W, const std::vector<Mapping> &Maps) {
    SiteLocation Loc;
    if (W.Kind != TW_GIL) {
      if (W.Address)
        Loc = Symbolizer.lookupData(W.Address, Maps);
      if (Loc.Function.empty())
        Loc.Function = W.Call;
    }
    int64_t Id = static_cast<int64_t>(Sites.size());
    Sites.push_back({Id, W.Kind, Loc, W.Address, W.WaitNs, W.Count});
    return Id;
  }
  void add(int64_t Id, uint64_t WaitNs, uint64_t Count) {
    Sites[Id].WaitNs += WaitNs;
    Sites[Id].Count += Count;
  }
  json::Array toJson() const {
    json::Array Out;
    for (const Site &S : Sites) {
      std::string Obj;
      raw_string_ostream(Obj) << format_hex(S.Object, 2);
      if (S.Kind == TW_IO || !S.Object)
        Obj.clear(); // not an address
      json::Object O{
          {"id", S.Id},         {"kind", KindNames[S.Kind]}, {"function", S.Loc.Function},
          {"file", S.Loc.File}, {"line", S.Loc.Line},        {"module", S.Loc.Module},
          {"object", Obj},      {"wait_ns", num(S.WaitNs)},  {"count", num(S.Count)}};
      if (S.Kind == TW_IO)
        O["fd_kind"] = FdKindNames[S.Object % TW_FD_KIND_COUNT];
      Out.push_back(std::move(O));
    }
    return Out;
  }

private:
  SiteSymbolizer &Symbolizer;
  std::vector<Site> Sites;
  std::map<std::tuple<pid_t, uint64_t, int>, int64_t> ByRaw;
  std::map<std::tuple<std::string, uint64_t, int>, int64_t> ByLocation;
};

/// One thread, merged from preload records (possibly one per exec'ed image)
/// and /proc samples.
struct ThreadAcc {
  pid_t Tid = 0;
  std::string Name;
  bool FromPreload = false, Main = false, AliveAtExit = false, Adopted = false;
  int64_t Creator = 0;
  uint64_t Start = UINT64_MAX, End = 0;
  uint64_t User = 0, Sys = 0, Cpu = 0, RunDelay = 0, Vcs = 0, Ivcs = 0;
  uint64_t Wait[TW_KIND_COUNT] = {}, WaitCount[TW_KIND_COUNT] = {};
  uint64_t GilDrops = 0, Dropped = 0;
  uint64_t IoByFd[TW_FD_KIND_COUNT] = {};
  json::Array Intervals;
  // start, end, kind, site. Runnable periods are not intervals: the analyzer
  // derives them from the run-delay samples.
  std::vector<std::array<int64_t, 4>> RawIntervals;
  const ThreadSamples *Samples = nullptr;
};

} // namespace

static json::Object threadJson(ThreadAcc &T, uint64_t T0, ProcessStacks &Stacks,
                               const std::vector<int64_t> &SiteIds) {
  if (T.Samples && !T.FromPreload) {
    for (int K = 0; K < TW_KIND_COUNT; ++K) { // waits inferred in attach mode
      T.Wait[K] = T.Samples->WaitNs[K];
      T.WaitCount[K] = T.Samples->WaitCount[K];
    }
    for (const WaitInterval &I : T.Samples->Intervals)
      T.RawIntervals.push_back({rel(I.Start, T0), rel(I.End, T0), I.Kind,
                                I.Site >= 0 ? SiteIds[I.Site] : -1});
    // No preload record (static binary, crash, thread table full): /proc only.
    T.Name = T.Samples->Comm;
    T.User = T.Samples->UserNs;
    T.Sys = T.Samples->SysNs;
    T.Cpu = T.Samples->CpuNs;
    T.RunDelay = T.Samples->RunDelayNs;
    T.Vcs = T.Samples->VoluntaryCs;
    T.Ivcs = T.Samples->InvoluntaryCs;
    T.Start = T.Samples->FirstNs;
    T.End = T.Samples->LastNs;
  } else if (T.Samples && T.Name.empty()) {
    T.Name = T.Samples->Comm;
  }
  std::sort(T.RawIntervals.begin(), T.RawIntervals.end());
  json::Array Intervals;
  for (const auto &I : T.RawIntervals)
    Intervals.push_back(json::Array{I[0], I[1], KindNames[I[2]], I[3]});
  json::Array Samples;
  if (T.Samples)
    for (const auto &S : T.Samples->Samples)
      Samples.push_back(json::Array{rel(S[0], T0), num(S[1]), num(S[2])});
  StackTotals Totals;
  Totals.CpuNs = T.Cpu ? T.Cpu : T.User + T.Sys;
  Totals.RunDelayNs = T.RunDelay;
  std::copy(std::begin(T.Wait), std::end(T.Wait), Totals.WaitNs);
  json::Object IoByFd;
  for (int K = 1; K < TW_FD_KIND_COUNT; ++K)
    if (T.IoByFd[K])
      IoByFd[FdKindNames[K]] = num(T.IoByFd[K]);
  return json::Object{{"tid", T.Tid},
                      {"io_wait_by_fd", std::move(IoByFd)},
                      {"name", T.Name},
                      {"start_ns", rel(T.Start == UINT64_MAX ? T0 : T.Start, T0)},
                      {"end_ns", rel(T.End, T0)},
                      {"user_ns", num(T.User)},
                      {"sys_ns", num(T.Sys)},
                      {"cpu_ns", num(T.Cpu ? T.Cpu : T.User + T.Sys)},
                      {"run_delay_ns", num(T.RunDelay)},
                      {"voluntary_cs", num(T.Vcs)},
                      {"involuntary_cs", num(T.Ivcs)},
                      {"lock_wait_ns", num(T.Wait[TW_LOCK])},
                      {"io_wait_ns", num(T.Wait[TW_IO])},
                      {"sleep_ns", num(T.Wait[TW_SLEEP])},
                      {"cond_wait_ns", num(T.Wait[TW_WAIT])},
                      {"gil_wait_ns", num(T.Wait[TW_GIL])},
                      {"gil_waits", num(T.WaitCount[TW_GIL])},
                      {"gil_drops", num(T.GilDrops)},
                      {"lock_waits", num(T.WaitCount[TW_LOCK])},
                      {"io_waits", num(T.WaitCount[TW_IO])},
                      {"main", T.Main},
                      {"creator_tid", T.Creator},
                      {"alive_at_exit", T.AliveAtExit},
                      {"adopted", T.Adopted},
                      {"source", T.FromPreload ? "preload" : "proc"},
                      {"intervals_dropped", num(T.Dropped)},
                      {"intervals", std::move(Intervals)},
                      {"samples", std::move(Samples)},
                      {"stacks", Stacks.threadStacks(T.Tid, Totals)}};
}

static void mergeThreadRecord(ThreadAcc &T, const tw_thread_rec &R) {
  T.FromPreload = true;
  T.Tid = static_cast<pid_t>(R.tid);
  if (R.name[0])
    T.Name = std::string(R.name, strnlen(R.name, sizeof R.name));
  T.Main |= (R.flags & TW_THREAD_MAIN) != 0;
  T.Adopted |= (R.flags & TW_THREAD_ADOPTED) != 0;
  T.AliveAtExit = (R.flags & TW_THREAD_AT_EXIT) != 0;
  if (R.creator_tid)
    T.Creator = R.creator_tid;
  T.Start = std::min<uint64_t>(T.Start, R.start_ns);
  T.End = std::max<uint64_t>(T.End, R.end_ns);
  // CPU counters belong to the kernel task and survive exec: take the latest.
  T.User = std::max<uint64_t>(T.User, R.user_ns);
  T.Sys = std::max<uint64_t>(T.Sys, R.sys_ns);
  T.Cpu = std::max<uint64_t>(T.Cpu, R.cpu_ns);
  T.RunDelay = std::max<uint64_t>(T.RunDelay, R.run_delay_ns);
  T.Vcs = std::max<uint64_t>(T.Vcs, R.voluntary_cs);
  T.Ivcs = std::max<uint64_t>(T.Ivcs, R.involuntary_cs);
  for (int K = 0; K < TW_KIND_COUNT; ++K) {
    T.Wait[K] += R.wait_ns[K];
    T.WaitCount[K] += R.wait_count[K];
  }
  T.GilDrops += R.gil_drops;
  for (int K = 0; K < TW_FD_KIND_COUNT; ++K)
    T.IoByFd[K] += R.io_fd_ns[K];
  T.Dropped += R.intervals_dropped;
}

json::Object buildProfile(const RunInfo &Run, const std::vector<ImageRecord> &Images,
                          const ProcSampler &Sampler) {
  const uint64_t T0 = Run.StartNs;
  SiteSymbolizer Symbolizer;
  SiteTable Sites(Symbolizer);
  std::map<pid_t, std::vector<const ImageRecord *>> ByPid;
  std::map<pid_t, int> ChildStatus = Run.ReapedStatuses;
  uint64_t DroppedIntervals = 0;
  for (const ImageRecord &R : Images) {
    if (!R.HasBegin)
      continue;
    ByPid[static_cast<pid_t>(R.Begin.pid)].push_back(&R);
    for (const tw_child_exit &C : R.ChildExits)
      ChildStatus[static_cast<pid_t>(C.pid)] = static_cast<int>(C.status);
  }
  for (auto &[Pid, Imgs] : ByPid)
    std::sort(Imgs.begin(), Imgs.end(), [](const ImageRecord *A, const ImageRecord *B) {
      return A->Begin.init_ns < B->Begin.init_ns;
    });

  const bool AnyPreload = !ByPid.empty();
  std::vector<int64_t> InferredSiteIds; // sampler site index -> profile site id
  std::map<pid_t, std::vector<Mapping>> InferredMaps;
  for (const WaitSite &W : Sampler.sites()) {
    auto It = InferredMaps.find(W.Pid);
    if (It == InferredMaps.end()) {
      auto P = Sampler.processes().find(W.Pid);
      It = InferredMaps
               .emplace(W.Pid, parseMaps(P == Sampler.processes().end() ? "" : P->second.Maps))
               .first;
    }
    InferredSiteIds.push_back(Sites.getInferred(W, It->second));
  }
  std::set<pid_t> Pids;
  for (auto &[Pid, _] : ByPid)
    Pids.insert(Pid);
  for (auto &[Pid, _] : Sampler.processes())
    Pids.insert(Pid);

  // The launch wrapper: when the command first runs a shell or shim that later
  // execs the real program (pyenv's `python3` runs ~40 bash helpers), the
  // helpers that were all done before that exec are start-up, not the program.
  uint64_t RootFinalInit = 0;
  if (auto It = ByPid.find(Run.RootPid); It != ByPid.end() && It->second.size() > 1)
    RootFinalInit = It->second.back()->Begin.init_ns;

  json::Array Processes, StartupProcesses;
  std::vector<std::pair<int64_t, json::Object>> Sorted;
  std::vector<bool> IsStartup;
  for (pid_t Pid : Pids) {
    const auto &Imgs = ByPid[Pid];
    auto SP = Sampler.processes().find(Pid);
    const ProcessInfo *PI = SP == Sampler.processes().end() ? nullptr : &SP->second;
    json::Object P;
    P["pid"] = Pid;
    const ImageRecord *First = Imgs.empty() ? nullptr : Imgs.front();
    const ImageRecord *Last = Imgs.empty() ? nullptr : Imgs.back();
    P["ppid"] = First ? First->Begin.ppid : (PI ? PI->PPid : 0);
    std::string Exe = Last ? Last->Exe : (PI ? PI->Exe : "");
    std::vector<std::string> Argv =
        Last ? Last->Argv : (PI ? PI->Argv : std::vector<std::string>{});
    P["exe"] = Exe;
    json::Array ArgvJson;
    for (const std::string &A : Argv)
      ArgvJson.push_back(A);
    P["argv"] = std::move(ArgvJson);
    json::Array Execs; // earlier images of this pid (a shell or shim that exec'ed)
    for (size_t I = 0; I + 1 < Imgs.size(); ++I)
      Execs.push_back(Imgs[I]->Exe);
    P["execs"] = std::move(Execs);
    uint64_t Start =
        First ? std::min(First->Begin.spawn_ns, First->Begin.init_ns) : (PI ? PI->FirstNs : T0);
    uint64_t End = Last && Last->End ? Last->End->end_ns : (PI ? PI->LastNs : Run.EndNs);
    P["start_ns"] = rel(Start, T0);
    P["end_ns"] = rel(End, T0);
    if (Pid == Run.RootPid && Run.Attached)
      P["exit"] = nullptr; // not our child: its status is its parent's
    else if (Pid == Run.RootPid)
      P["exit"] = exitObject(Run.RootStatus);
    else if (ChildStatus.count(Pid))
      P["exit"] = exitObject(ChildStatus[Pid]);
    else if (Last && Last->End && Last->End->exit_code >= 0)
      P["exit"] = json::Object{{"code", Last->End->exit_code}, {"signal", 0}};
    else
      P["exit"] = nullptr;
    if (Last && (Last->Begin.flags & TW_PROC_PYTHON))
      P["python"] =
          json::Object{{"version", pythonVersion(Last->Begin.py_version)},
                       {"free_threaded", (Last->Begin.flags & TW_PROC_PY_FREE_THREADED) != 0},
                       {"shared_libpython", (Last->Begin.flags & TW_PROC_PY_SHARED_LIB) != 0},
                       {"stacks", (Last->Begin.flags & TW_PROC_PY_STACKS) != 0}};
    else if (PI && PI->Python.Present) // attach mode: from the executable and maps
      P["python"] = json::Object{{"version", PI->Python.Version},
                                 {"free_threaded", PI->Python.FreeThreaded},
                                 {"shared_libpython", PI->Python.SharedLibpython},
                                 {"stacks", Run.RemotePythonStacks.count(Pid) != 0}};
    else
      P["python"] = nullptr;
    // Fork to the start of the final image: a shell or shim that execs the
    // real program (pyenv's python3) is start-up cost too.
    P["spawn_ns"] = Last && First->Begin.spawn_ns < Last->Begin.init_ns
                        ? num(Last->Begin.init_ns - First->Begin.spawn_ns)
                        : json::Value(0);
    P["preload"] = !Imgs.empty();
    P["forked"] = First && (First->Begin.flags & TW_PROC_FORKED) != 0;
    P["complete"] = Last && Last->End.has_value(); // false: crashed or killed

    // Threads: preload records first, then /proc-only threads.
    std::map<pid_t, ThreadAcc> Threads;
    ProcessStacks Stacks(Symbolizer);
    auto Remote = Run.RemotePythonStacks.find(Pid);
    if (Remote != Run.RemotePythonStacks.end())
      Stacks.addImage(Remote->second, {});
    for (const ImageRecord *R : Imgs) {
      std::vector<Mapping> Maps = parseMaps(R->Maps);
      Stacks.addImage(*R, Maps);
      for (const tw_thread_rec &TR : R->Threads)
        mergeThreadRecord(Threads[static_cast<pid_t>(TR.tid)], TR);
      bool HaveSiteTotals = !R->Sites.empty();
      for (const tw_site_rec &S : R->Sites)
        Sites.add(Sites.get(Pid, S.addr, static_cast<int>(S.kind), S.object, Maps), S.wait_ns,
                  S.count);
      for (const TaggedInterval &TI : R->Intervals) {
        const tw_interval &Iv = TI.Interval;
        int64_t Id = Sites.get(Pid, Iv.addr, static_cast<int>(Iv.kind), Iv.object, Maps);
        if (!HaveSiteTotals) // the process died before writing its site totals
          Sites.add(Id, Iv.end_ns - Iv.start_ns, 1);
        ThreadAcc &T = Threads[static_cast<pid_t>(TI.Tid)];
        T.Tid = static_cast<pid_t>(TI.Tid);
        T.RawIntervals.push_back(
            {rel(Iv.start_ns, T0), rel(Iv.end_ns, T0), static_cast<int64_t>(Iv.kind), Id});
      }
    }
    for (const auto &[Key, S] : Sampler.threads()) {
      if (Key.first != Pid)
        continue;
      ThreadAcc &T = Threads[Key.second];
      T.Tid = Key.second;
      T.Samples = &S;
      if (Key.second == Pid)
        T.Main = true;
    }
    json::Array ThreadsJson;
    for (auto &[Tid, T] : Threads) {
      DroppedIntervals += T.Dropped;
      ThreadsJson.push_back(threadJson(T, T0, Stacks, InferredSiteIds));
    }
    P["threads"] = std::move(ThreadsJson);
    P["frames"] = Stacks.frames();
    P["stack_sample_period_ns"] = Last ? num(Last->Begin.sample_period_ns)
                                  : Remote != Run.RemotePythonStacks.end()
                                      ? num(Run.FinalSamplingIntervalNs)
                                      : json::Value(0);
    bool Startup = Pid != Run.RootPid && RootFinalInit && End <= RootFinalInit;
    Sorted.emplace_back(Pid == Run.RootPid ? -1 : rel(Start, T0), std::move(P));
    IsStartup.push_back(Startup);
  }
  std::vector<size_t> Order(Sorted.size());
  for (size_t I = 0; I < Order.size(); ++I)
    Order[I] = I;
  std::stable_sort(Order.begin(), Order.end(),
                   [&](size_t A, size_t B) { return Sorted[A].first < Sorted[B].first; });
  for (size_t I : Order)
    (IsStartup[I] ? StartupProcesses : Processes).push_back(std::move(Sorted[I].second));

  struct utsname U;
  ::uname(&U);
  char Host[256] = "";
  ::gethostname(Host, sizeof Host - 1);
  cpu_set_t Set;
  int Allowed = sched_getaffinity(0, sizeof Set, &Set) == 0 ? CPU_COUNT(&Set) : 0;

  json::Array Notes;
  if (!StartupProcesses.empty())
    Notes.push_back(std::to_string(StartupProcesses.size()) +
                    " processes of the launch wrapper (done before the command exec'ed its "
                    "final program) are listed under startup_processes, not analysed");
  if (Run.Attached) {
    Notes.push_back("attached to a running process (pid " + std::to_string(Run.RootPid) +
                    "): no interposition, so lock, I/O and GIL waits are inferred from "
                    "each thread's /proc state, system call and wchan sampled every " +
                    std::to_string(Run.SamplingIntervalNs / 1000000) +
                    " ms - coarser than the preload library: waits shorter than a sample "
                    "interval are missed or merged, a futex wait counts as a lock "
                    "(FUTEX_WAIT), a condition (FUTEX_WAIT_BITSET) or, in CPython, the GIL "
                    "(timed waits), and sites are futex words and system calls, not call sites");
    if (Run.TargetExited)
      Notes.push_back("the process exited while attached; its exit status is not known here");
  } else if (!AnyPreload)
    Notes.push_back(Run.StaticBinary
                        ? "statically linked program: no interposition, /proc samples and perf "
                          "counters only (no lock/IO/GIL split)"
                        : "the preload library reported nothing: /proc samples and perf "
                          "counters only");
  if (DroppedIntervals)
    Notes.push_back("timeline intervals were capped per thread; " +
                    std::to_string(DroppedIntervals) +
                    " shorter ones were dropped (totals still include them)");
  for (const std::string &N : Run.Notes)
    Notes.push_back(N);
  Notes.push_back("waits shorter than 20 us count in totals but not as timeline intervals");
  if (Run.IntervalBackoffs)
    Notes.push_back("/proc sampling slowed down to every " +
                    std::to_string(Run.FinalSamplingIntervalNs / 1000000) +
                    " ms to stay cheap with this many threads");

  json::Array Command;
  for (const std::string &A : Run.Command)
    Command.push_back(A);
  return json::Object{
      {"format", "threadwise-profile"},
      {"version", 1},
      {"command", std::move(Command)},
      {"start_ns", 0},
      {"end_ns", rel(Run.EndNs, T0)},
      {"wall_ns", rel(Run.EndNs, T0)},
      {"exit", Run.Attached ? json::Value(nullptr) : json::Value(exitObject(Run.RootStatus))},
      {"machine", json::Object{{"cores", static_cast<int64_t>(sysconf(_SC_NPROCESSORS_ONLN))},
                               {"cpus_allowed", Allowed},
                               {"kernel", std::string(U.release)},
                               {"hostname", std::string(Host)}}},
      {"mode", Run.Attached ? "attach" : AnyPreload ? "preload" : "proc-only"},
      {"static_binary", Run.StaticBinary},
      {"sampling_interval_ns", num(Run.SamplingIntervalNs)},
      {"final_sampling_interval_ns",
       num(Run.FinalSamplingIntervalNs ? Run.FinalSamplingIntervalNs : Run.SamplingIntervalNs)},
      {"events", json::Object(Run.Events)},
      {"processes", std::move(Processes)},
      {"startup_processes", std::move(StartupProcesses)},
      {"sites", Sites.toJson()},
      {"notes", std::move(Notes)}};
}

} // namespace threadwise::collect
