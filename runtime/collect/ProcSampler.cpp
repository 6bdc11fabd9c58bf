//===- ProcSampler.cpp - Periodic /proc samples of every thread in the tree ===//
#include "ProcSampler.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using llvm::StringRef;

namespace threadwise::collect {

bool readSmallFile(const std::string &Path, std::string &Out) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return false;
  char Buf[4096];
  Out.clear();
  ssize_t N;
  while ((N = ::read(Fd, Buf, sizeof Buf)) > 0)
    Out.append(Buf, static_cast<size_t>(N));
  int Err = errno;
  ::close(Fd);
  errno = Err;
  return N == 0; // some /proc files refuse at read time (no ptrace access)
}

static std::vector<pid_t> listNumericDir(const std::string &Path) {
  std::vector<pid_t> Out;
  DIR *D = ::opendir(Path.c_str());
  if (!D)
    return Out;
  while (dirent *E = ::readdir(D)) {
    char *End;
    long V = std::strtol(E->d_name, &End, 10);
    if (*End == 0 && V > 0)
      Out.push_back(static_cast<pid_t>(V));
  }
  ::closedir(D);
  return Out;
}

/// Fields after the ")" that closes comm in /proc/.../stat; [0] is field 3.
static std::vector<StringRef> statFields(StringRef Stat, std::string *Comm) {
  size_t Open = Stat.find('('), Close = Stat.rfind(')');
  std::vector<StringRef> F;
  if (Open == StringRef::npos || Close == StringRef::npos)
    return F;
  if (Comm)
    *Comm = Stat.slice(Open + 1, Close).str();
  llvm::SmallVector<StringRef, 52> Parts;
  Stat.drop_front(Close + 1).split(Parts, ' ', -1, false);
  F.assign(Parts.begin(), Parts.end());
  return F;
}

ProcSampler::ProcSampler(pid_t Root, std::string RecordDir, unsigned MaxSamplesPerThread)
    : Root(Root), RecordDir(std::move(RecordDir)), MaxSamples(MaxSamplesPerThread) {
  Tracked.insert(Root);
}

ProcSampler::~ProcSampler() {
  for (auto &[Key, Fd] : SchedFiles)
    ::close(Fd);
}

void ProcSampler::addRecordFile(StringRef Name) {
  size_t Dash = Name.find('-');
  pid_t Pid;
  if (Dash != StringRef::npos && !Name.take_front(Dash).getAsInteger(10, Pid) && Pid > 0) {
    Tracked.insert(Pid);
    Preloaded.insert(Pid);
  }
}

bool ProcSampler::recordDirChanged() {
  struct stat St;
  struct timespec Now;
  if (::stat(RecordDir.c_str(), &St) != 0 || ::clock_gettime(CLOCK_REALTIME, &Now) != 0)
    return true;
  auto Ns = [](const struct timespec &T) {
    return static_cast<int64_t>(T.tv_sec) * 1000000000 + T.tv_nsec;
  };
  int64_t Mtime = Ns(St.st_mtim);
  bool Changed = Mtime != RecordDirMtimeNs;
  RecordDirMtimeNs = Mtime;
  // A file created after a listing but within the same timestamp granule
  // leaves the mtime as it was: list again until the mtime is older than a
  // granule. That is the kernel's tick on most filesystems; whole seconds
  // (ext4 with small inodes, 2 s on FAT) when the nanoseconds are 0.
  int64_t Granule = St.st_mtim.tv_nsec ? 50000000 : 2000000000;
  return Changed || Ns(Now) - Mtime < Granule;
}

void ProcSampler::discover() {
  // Processes with preload data announce themselves by their record file.
  // Listing the directory was a third of a round, so it is listed only when its
  // mtime says it changed. (An inotify watch was cheaper still for us, but the
  // kernel then runs fsnotify on every read and write of every file on that
  // filesystem, where the program most likely works: +12 ns a call.)
  if (!RecordDir.empty() && recordDirChanged()) {
    if (DIR *D = ::opendir(RecordDir.c_str())) {
      while (dirent *E = ::readdir(D))
        addRecordFile(E->d_name);
      ::closedir(D);
    }
  }
  // Without preload (static binaries) only the parent links tell; every tenth
  // round. Walk down the tree from the tracked processes through
  // /proc/<pid>/task/<tid>/children: a few small files, where reading the stat
  // of every process on the machine cost most of the launcher's CPU (~1% of a
  // core). Kernels without CONFIG_PROC_CHILDREN get the whole /proc scan.
  if (Round % 10 != 0)
    return;
  if (discoverChildren())
    return;
  std::map<pid_t, pid_t> Parent;
  std::string Stat;
  for (pid_t P : listNumericDir("/proc"))
    if (readSmallFile("/proc/" + std::to_string(P) + "/stat", Stat)) {
      auto F = statFields(Stat, nullptr);
      if (F.size() > 1)
        Parent[P] = static_cast<pid_t>(std::atol(F[1].str().c_str()));
    }
  bool Grew = true;
  while (Grew) {
    Grew = false;
    for (auto [P, PP] : Parent)
      if (Tracked.count(PP) && Tracked.insert(P).second)
        Grew = true;
  }
}

bool ProcSampler::discoverChildren() {
  std::vector<pid_t> Work(Tracked.begin(), Tracked.end());
  std::string Children;
  bool Readable = false;
  while (!Work.empty()) {
    std::string Task = "/proc/" + std::to_string(Work.back()) + "/task/";
    Work.pop_back();
    for (pid_t Tid : listNumericDir(Task)) {
      if (!readSmallFile(Task + std::to_string(Tid) + "/children", Children))
        continue;
      Readable = true;
      for (StringRef C : llvm::split(StringRef(Children).trim(), ' ')) {
        pid_t Child;
        if (!C.getAsInteger(10, Child) && Child > 0 && Tracked.insert(Child).second)
          Work.push_back(Child);
      }
    }
  }
  return Readable;
}

void ProcSampler::sample(uint64_t NowNs) {
  discover();
  ++Round;
  for (pid_t P : Tracked)
    sampleProcess(P, NowNs);
}

int ProcSampler::siteFor(pid_t Pid, const InferredWait &W) {
  auto Key = std::make_tuple(Pid, W.Kind, W.Call, W.Address);
  auto [It, New] = SiteIndex.emplace(Key, static_cast<int>(Sites.size()));
  if (New)
    Sites.push_back({Pid, W.Kind, W.Call, W.Address, 0, 0});
  return It->second;
}

/// Attach mode: the thread's off-CPU time since the last round (neither
/// running nor runnable) goes to the wait it is blocked in now, or, when it
/// runs again, to the one it was blocked in at the last round.
void ProcSampler::inferWaits(ThreadSamples &T, const ThreadSamples &Before, char State,
                             const std::string &Base, std::vector<ThreadObservation> *Seen) {
  std::string Syscall, Wchan;
  std::optional<InferredWait> W;
  if (State == 'S' || State == 'D') {
    if (!readSmallFile(Base + "/syscall", Syscall))
      Syscall.clear();
    if (Syscall.empty() || Syscall.rfind("-1", 0) == 0) // not in a syscall: ask wchan
      readSmallFile(Base + "/wchan", Wchan);
    W = inferWait(State, Syscall, Wchan, Processes[T.Pid].Python.Present &&
                                             !Processes[T.Pid].Python.FreeThreaded);
  }
  T.State = State;
  if (Seen)
    Seen->push_back({T.Tid, State, W});
  int Kind = W ? W->Kind : T.LastKind;
  int Site = W ? siteFor(T.Pid, *W) : T.LastSite;
  T.LastKind = W ? W->Kind : -1;
  T.LastSite = W ? Site : -1;
  if (!Before.LastNs || Kind < 0)
    return;
  uint64_t Dt = T.LastNs - Before.LastNs;
  uint64_t OnCpu = (T.CpuNs - Before.CpuNs) + (T.RunDelayNs - Before.RunDelayNs);
  if (OnCpu >= Dt)
    return;
  uint64_t Off = Dt - OnCpu;
  // Blocked now: the wait ends now; woke since: it began at the last round.
  uint64_t Start = W ? T.LastNs - Off : Before.LastNs, End = Start + Off;
  T.WaitNs[Kind] += Off;
  Sites[Site].WaitNs += Off;
  // Each time a thread blocks it switches out voluntarily: between two rounds
  // that counts the waits better than the rounds that caught one.
  WaitInterval *Last = T.Intervals.empty() ? nullptr : &T.Intervals.back();
  bool Same = Last && Last->Kind == Kind && Last->Site == Site && Start <= Last->End + Dt / 2;
  uint64_t Waits = std::max<uint64_t>(Same ? 0 : 1, T.VoluntaryCs - Before.VoluntaryCs);
  T.WaitCount[Kind] += Waits;
  Sites[Site].Count += Waits;
  if (Same)
    Last->End = End; // the same wait seen again
  else
    T.Intervals.push_back({Start, End, Kind, Site});
}

bool ProcSampler::readSchedstat(pid_t Pid, pid_t Tid, const std::string &Path,
                                std::string &Out) {
  char Buf[256];
  auto It = SchedFiles.find({Pid, Tid});
  if (It != SchedFiles.end()) {
    ssize_t N = ::pread(It->second, Buf, sizeof Buf, 0);
    if (N > 0) {
      Out.assign(Buf, static_cast<size_t>(N));
      return true;
    }
    ::close(It->second); // the thread ended (ESRCH); its tid may be reused
    SchedFiles.erase(It);
  }
  if (SchedFiles.size() >= MaxSchedFiles)
    return readSmallFile(Path, Out);
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return false;
  ssize_t N = ::pread(Fd, Buf, sizeof Buf, 0);
  if (N <= 0) {
    ::close(Fd);
    return false;
  }
  Out.assign(Buf, static_cast<size_t>(N));
  SchedFiles[{Pid, Tid}] = Fd;
  return true;
}

void ProcSampler::closeSchedstats(pid_t Pid, const std::vector<pid_t> &Alive) {
  for (auto It = SchedFiles.lower_bound({Pid, 0}); It != SchedFiles.end() && It->first.first == Pid;)
    if (std::binary_search(Alive.begin(), Alive.end(), It->first.second)) {
      ++It;
    } else {
      ::close(It->second);
      It = SchedFiles.erase(It);
    }
}

void ProcSampler::sampleProcess(pid_t Pid, uint64_t NowNs) {
  std::string Base = "/proc/" + std::to_string(Pid);
  const std::vector<pid_t> &Tids = threadsOf(Pid, Base + "/task");
  closeSchedstats(Pid, Tids);
  if (Tids.empty()) {
    if (Processes.count(Pid))
      Gone.insert(Pid);
    return;
  }
  ProcessInfo &PI = Processes[Pid];
  if (!PI.Pid) {
    PI.Pid = Pid;
    PI.FirstNs = NowNs;
    if (Attached && readSmallFile(Base + "/maps", PI.Maps)) {
      char Exe[4096];
      ssize_t N = ::readlink((Base + "/exe").c_str(), Exe, sizeof Exe - 1);
      PI.Python = detectPython(StringRef(Exe, N > 0 ? static_cast<size_t>(N) : 0), PI.Maps);
    }
  }
  // Refresh exe/argv: the process may have exec'ed (a preloaded one says so in
  // its records, so it is read less often).
  std::string Cmd, Stat;
  bool Totals = totalsRound(Pid) || PI.Argv.empty();
  if (Totals && readSmallFile(Base + "/cmdline", Cmd) && !Cmd.empty()) {
    llvm::SmallVector<StringRef, 8> Parts;
    StringRef(Cmd).split(Parts, '\0', -1, false);
    PI.Argv.assign(Parts.begin(), Parts.end());
    char Exe[4096];
    ssize_t N = ::readlink((Base + "/exe").c_str(), Exe, sizeof Exe - 1);
    if (N > 0)
      PI.Exe.assign(Exe, static_cast<size_t>(N));
  }
  if (Totals && readSmallFile(Base + "/stat", Stat)) {
    auto F = statFields(Stat, nullptr);
    if (F.size() > 1)
      PI.PPid = static_cast<pid_t>(std::atol(F[1].str().c_str()));
  }
  PI.LastNs = NowNs;
  std::vector<ThreadObservation> Seen;
  bool Ended = false;
  for (pid_t Tid : Tids)
    Ended |= !sampleThread(Pid, Tid, NowNs, Attached ? &Seen : nullptr);
  if (Ended) // maybe replaced by a new thread, which the link count misses
    TaskLists[Pid].Stale = true;
  if (Hook && Attached)
    Hook(PI, Seen, NowNs);
}

const std::vector<pid_t> &ProcSampler::threadsOf(pid_t Pid, const std::string &Task) {
  TaskList &L = TaskLists[Pid];
  struct stat St;
  if (::stat(Task.c_str(), &St) != 0) {
    L = TaskList();
  } else if (L.Stale || St.st_nlink != L.Links) {
    L.Tids = listNumericDir(Task);
    llvm::sort(L.Tids);
    L.Links = St.st_nlink;
    L.Stale = false;
  }
  return L.Tids;
}

bool ProcSampler::sampleThread(pid_t Pid, pid_t Tid, uint64_t NowNs,
                               std::vector<ThreadObservation> *Seen) {
  std::string Base = "/proc/" + std::to_string(Pid) + "/task/" + std::to_string(Tid);
  std::string Sched, Stat, Status;
  if (!readSchedstat(Pid, Tid, Base + "/schedstat", Sched))
    return false;
  ThreadSamples &T = Threads[{Pid, Tid}];
  bool First = !T.Tid;
  if (First) {
    T.Pid = Pid;
    T.Tid = Tid;
    T.FirstNs = NowNs;
  }
  ThreadSamples Before; // the last round's counters (attach mode)
  if (Attached) {
    Before.LastNs = First ? 0 : T.LastNs;
    Before.CpuNs = T.CpuNs;
    Before.RunDelayNs = T.RunDelayNs;
    Before.VoluntaryCs = T.VoluntaryCs;
  }
  T.LastNs = NowNs;
  llvm::SmallVector<StringRef, 3> S;
  StringRef(Sched).split(S, ' ', -1, false);
  if (S.size() >= 2) {
    S[0].trim().getAsInteger(10, T.CpuNs);
    S[1].trim().getAsInteger(10, T.RunDelayNs);
  }
  static const uint64_t NsPerTick = 1000000000ull / static_cast<uint64_t>(sysconf(_SC_CLK_TCK));
  char State = 0;
  // schedstat (CPU and run delay: the timeline) every round; stat and status
  // (~80% of a round's cost) only when they are the sole source of the totals.
  bool Totals = First || totalsRound(Pid);
  if (Totals && readSmallFile(Base + "/stat", Stat)) {
    auto F = statFields(Stat, &T.Comm);
    if (!F.empty() && !F[0].empty())
      State = F[0].front();
    if (F.size() > 12) { // utime is field 14, stime 15
      T.UserNs = std::strtoull(F[11].str().c_str(), nullptr, 10) * NsPerTick;
      T.SysNs = std::strtoull(F[12].str().c_str(), nullptr, 10) * NsPerTick;
    }
  }
  if (Totals && readSmallFile(Base + "/status", Status)) {
    for (StringRef Line : llvm::split(Status, '\n')) {
      auto [Key, Value] = Line.split(':');
      if (Key == "voluntary_ctxt_switches")
        Value.trim().getAsInteger(10, T.VoluntaryCs);
      else if (Key == "nonvoluntary_ctxt_switches")
        Value.trim().getAsInteger(10, T.InvoluntaryCs);
    }
  }
  if (Attached) {
    // Threads alive at attach count from then on; later ones from their start.
    std::array<uint64_t, 6> Now = {T.UserNs, T.SysNs, T.CpuNs, T.RunDelayNs, T.VoluntaryCs,
                                   T.InvoluntaryCs};
    if (First && Round == 1)
      T.Base = Now;
    for (uint64_t &V : Now)
      V -= std::min(V, T.Base[&V - Now.data()]);
    T.UserNs = Now[0];
    T.SysNs = Now[1];
    T.CpuNs = Now[2];
    T.RunDelayNs = Now[3];
    T.VoluntaryCs = Now[4];
    T.InvoluntaryCs = Now[5];
    inferWaits(T, Before, State, Base, Seen);
  }
  T.Samples.push_back({NowNs, T.CpuNs, T.RunDelayNs});
  if (T.Samples.size() > MaxSamples) { // halve the resolution, keep the span
    std::vector<std::array<uint64_t, 3>> Kept;
    for (size_t I = 0; I < T.Samples.size(); I += 2)
      Kept.push_back(T.Samples[I]);
    if (T.Samples.size() % 2 == 0)
      Kept.push_back(T.Samples.back());
    T.Samples.swap(Kept);
  }
  return true;
}

} // namespace threadwise::collect
