//===- AttachSession.cpp - `threadwise profile --pid PID` ------------------===//
#include "AttachSession.h"
#include "PerfEvents.h"
#include "ProfileBuilder.h"
#include "PythonAttachSampler.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

using llvm::StringRef;

namespace threadwise::collect {

static volatile sig_atomic_t StopRequested = 0;
static void requestStop(int) { StopRequested = 1; }

static uint64_t clockNs(clockid_t Clock) {
  struct timespec Ts;
  clock_gettime(Clock, &Ts);
  return static_cast<uint64_t>(Ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(Ts.tv_nsec);
}
static uint64_t monotonicNs() { return clockNs(CLOCK_MONOTONIC); }

static std::string statusField(StringRef Status, StringRef Key) {
  for (StringRef Line : llvm::split(Status, '\n')) {
    auto [K, V] = Line.split(':');
    if (K == Key)
      return V.trim().str();
  }
  return "";
}

std::string checkAttachable(pid_t Pid) {
  std::string P = std::to_string(Pid);
  if (Pid <= 0)
    return "invalid pid " + P;
  if (Pid == ::getpid())
    return "cannot profile threadwise itself (pid " + P + ")";
  int KillErr = ::kill(Pid, 0) == 0 ? 0 : errno;
  if (KillErr == ESRCH)
    return "no process with pid " + P;
  bool OtherUser = KillErr == EPERM;
  std::string Status;
  if (!readSmallFile("/proc/" + P + "/status", Status))
    return "cannot read /proc/" + P + "/status: " + std::strerror(errno);
  std::string Tgid = statusField(Status, "Tgid");
  if (!Tgid.empty() && Tgid != P)
    return "pid " + P + " is a thread of process " + Tgid + "; attach to " + Tgid;
  if (statusField(Status, "State").rfind("Z", 0) == 0)
    return "process " + P + " has exited (a zombie waiting for its parent)";
  if (OtherUser) {
    std::string Uid = statusField(Status, "Uid");
    return "process " + P + " belongs to another user (uid " +
           Uid.substr(0, Uid.find_first_of(" \t")) +
           "): permission denied; run threadwise as that user or with CAP_SYS_PTRACE";
  }
  // The per-thread syscall file needs ptrace access to the process, which
  // Yama's ptrace_scope restricts even for the same user.
  std::string Text;
  if (!readSmallFile("/proc/" + P + "/syscall", Text) && (errno == EACCES || errno == EPERM)) {
    std::string Scope;
    std::string Why = "no ptrace access to process " + P + " (reading /proc/" + P +
                      "/syscall: " + std::strerror(errno) + ")";
    if (readSmallFile("/proc/sys/kernel/yama/ptrace_scope", Scope))
      Why += ": kernel.yama.ptrace_scope is " + StringRef(Scope).trim().str() +
             " (1 allows only a parent to trace its children)";
    return Why + "; run threadwise as root or with CAP_SYS_PTRACE, or set "
                 "kernel.yama.ptrace_scope=0";
  }
  return "";
}

/// Alive and not a zombie.
static bool running(pid_t Pid) {
  std::string Stat;
  if (!readSmallFile("/proc/" + std::to_string(Pid) + "/stat", Stat))
    return false;
  size_t Close = Stat.rfind(')');
  char State = Close != std::string::npos && Close + 2 < Stat.size() ? Stat[Close + 2] : 'X';
  return State != 'Z' && State != 'X' && State != 'x';
}

static std::vector<pid_t> threadsOf(pid_t Pid) {
  std::vector<pid_t> Tids;
  std::string Dir = "/proc/" + std::to_string(Pid) + "/task";
  if (DIR *D = ::opendir(Dir.c_str())) {
    while (dirent *E = ::readdir(D)) {
      int Tid = 0;
      if (llvm::to_integer(E->d_name, Tid) && Tid > 0)
        Tids.push_back(Tid);
    }
    ::closedir(D);
  }
  return Tids;
}

std::optional<llvm::json::Object> profileAttached(const AttachOptions &O, std::string &Error) {
  Error = checkAttachable(O.Pid);
  if (!Error.empty())
    return std::nullopt;
  RunInfo Run;
  Run.Attached = true;
  Run.RootPid = O.Pid;
  std::string Cmd;
  if (readSmallFile("/proc/" + std::to_string(O.Pid) + "/cmdline", Cmd))
    for (StringRef A : llvm::split(StringRef(Cmd).rtrim('\0'), '\0'))
      Run.Command.push_back(A.str());

  PerfEvents Perf;
  Perf.attach(threadsOf(O.Pid), O.Events);
  if (O.RequireEvents && !Perf.opened()) {
    Error = "none of the requested perf events can be opened for it:\n" + Perf.failures();
    Error.pop_back();
    return std::nullopt;
  }

  // Threadwise stops on these; the target never sees them (it is not in
  // threadwise's process group and nothing is forwarded).
  struct sigaction Stop = {}, Old[3];
  Stop.sa_handler = requestStop; // no SA_RESTART: the sleep below ends early
  sigemptyset(&Stop.sa_mask);
  const int Signals[3] = {SIGINT, SIGTERM, SIGHUP};
  StopRequested = 0;
  for (int I = 0; I < 3; ++I)
    sigaction(Signals[I], &Stop, &Old[I]);
  ProcSampler Sampler(O.Pid, /*RecordDir=*/"");
  Sampler.setAttached(true);
  PythonAttachSampler Python;
  Sampler.setRoundHook([&](const ProcessInfo &P, const std::vector<ThreadObservation> &Threads,
                           uint64_t NowNs) {
    Python.round(P, Threads, NowNs);
    if (O.Hook)
      O.Hook(P, Threads, NowNs);
  });
  Run.SamplingIntervalNs = O.IntervalNs;
  Run.StartNs = monotonicNs();
  uint64_t Deadline = O.DurationS > 0 ? Run.StartNs + static_cast<uint64_t>(O.DurationS * 1e9) : 0;
  uint64_t Interval = O.IntervalNs, RoundCost = 0;
  for (;;) {
    // The round's cost in CPU time, not wall: on a loaded machine a round
    // waits for a core too, which is no reason to sample less.
    uint64_t CpuBefore = clockNs(CLOCK_THREAD_CPUTIME_ID);
    Sampler.sample(monotonicNs());
    RoundCost = (RoundCost * 4 + (clockNs(CLOCK_THREAD_CPUTIME_ID) - CpuBefore)) / 5;
    if (RoundCost * 10 > Interval && Interval < 1000000000ull) { // stay under ~10% of a core
      Interval *= 2;
      Run.IntervalBackoffs++;
    }
    if (Sampler.gone(O.Pid) || !running(O.Pid)) {
      Run.TargetExited = true;
      break;
    }
    uint64_t Now = monotonicNs();
    if (StopRequested || (Deadline && Now >= Deadline))
      break;
    uint64_t Sleep = Deadline ? std::min(Interval, Deadline - Now) : Interval;
    struct timespec Ts = {static_cast<time_t>(Sleep / 1000000000ull),
                          static_cast<long>(Sleep % 1000000000ull)};
    ::nanosleep(&Ts, nullptr);
  }
  Run.EndNs = monotonicNs();
  Run.FinalSamplingIntervalNs = Interval;
  Run.Events = Perf.read();
  for (int I = 0; I < 3; ++I)
    sigaction(Signals[I], &Old[I], nullptr);
  Run.RemotePythonStacks = Python.take();
  for (const auto &[Pid, Why] : Python.failures())
    Run.Notes.push_back("no Python stacks for pid " + std::to_string(Pid) + ": " + Why);
  return buildProfile(Run, {}, Sampler);
}

} // namespace threadwise::collect
