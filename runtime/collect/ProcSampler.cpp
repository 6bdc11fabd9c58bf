//===- ProcSampler.cpp - Periodic /proc samples of every thread in the tree ===//
#include "ProcSampler.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"
#include <cstdlib>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

using llvm::StringRef;

namespace threadwise::collect {

static bool readSmallFile(const std::string &Path, std::string &Out) {
  int Fd = ::open(Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (Fd < 0)
    return false;
  char Buf[4096];
  Out.clear();
  ssize_t N;
  while ((N = ::read(Fd, Buf, sizeof Buf)) > 0)
    Out.append(Buf, static_cast<size_t>(N));
  ::close(Fd);
  return true;
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

void ProcSampler::discover() {
  // Processes with preload data announce themselves by their record file.
  DIR *D = ::opendir(RecordDir.c_str());
  if (D) {
    while (dirent *E = ::readdir(D)) {
      char *End;
      long V = std::strtol(E->d_name, &End, 10);
      if (V > 0 && *End == '-')
        Tracked.insert(static_cast<pid_t>(V));
    }
    ::closedir(D);
  }
  // Without preload (static binaries) only the parent links tell: scan /proc,
  // less often since it reads one file per process on the machine.
  if (Round % 10 != 0)
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

void ProcSampler::sample(uint64_t NowNs) {
  discover();
  ++Round;
  for (pid_t P : Tracked)
    sampleProcess(P, NowNs);
}

void ProcSampler::sampleProcess(pid_t Pid, uint64_t NowNs) {
  std::string Base = "/proc/" + std::to_string(Pid);
  std::vector<pid_t> Tids = listNumericDir(Base + "/task");
  if (Tids.empty())
    return;
  ProcessInfo &PI = Processes[Pid];
  if (!PI.Pid) {
    PI.Pid = Pid;
    PI.FirstNs = NowNs;
  }
  // Refresh exe/argv every round: the process may have exec'ed.
  std::string Cmd, Stat;
  if (readSmallFile(Base + "/cmdline", Cmd) && !Cmd.empty()) {
    llvm::SmallVector<StringRef, 8> Parts;
    StringRef(Cmd).split(Parts, '\0', -1, false);
    PI.Argv.assign(Parts.begin(), Parts.end());
    char Exe[4096];
    ssize_t N = ::readlink((Base + "/exe").c_str(), Exe, sizeof Exe - 1);
    if (N > 0)
      PI.Exe.assign(Exe, static_cast<size_t>(N));
  }
  if (readSmallFile(Base + "/stat", Stat)) {
    auto F = statFields(Stat, nullptr);
    if (F.size() > 1)
      PI.PPid = static_cast<pid_t>(std::atol(F[1].str().c_str()));
  }
  PI.LastNs = NowNs;
  for (pid_t Tid : Tids)
    sampleThread(Pid, Tid, NowNs);
}

void ProcSampler::sampleThread(pid_t Pid, pid_t Tid, uint64_t NowNs) {
  std::string Base = "/proc/" + std::to_string(Pid) + "/task/" + std::to_string(Tid);
  std::string Sched, Stat, Status;
  if (!readSmallFile(Base + "/schedstat", Sched))
    return;
  ThreadSamples &T = Threads[{Pid, Tid}];
  if (!T.Tid) {
    T.Pid = Pid;
    T.Tid = Tid;
    T.FirstNs = NowNs;
  }
  T.LastNs = NowNs;
  llvm::SmallVector<StringRef, 3> S;
  StringRef(Sched).split(S, ' ', -1, false);
  if (S.size() >= 2) {
    S[0].trim().getAsInteger(10, T.CpuNs);
    S[1].trim().getAsInteger(10, T.RunDelayNs);
  }
  static const uint64_t NsPerTick = 1000000000ull / static_cast<uint64_t>(sysconf(_SC_CLK_TCK));
  if (readSmallFile(Base + "/stat", Stat)) {
    auto F = statFields(Stat, &T.Comm);
    if (F.size() > 12) { // utime is field 14, stime 15
      T.UserNs = std::strtoull(F[11].str().c_str(), nullptr, 10) * NsPerTick;
      T.SysNs = std::strtoull(F[12].str().c_str(), nullptr, 10) * NsPerTick;
    }
  }
  if (readSmallFile(Base + "/status", Status)) {
    for (StringRef Line : llvm::split(Status, '\n')) {
      auto [Key, Value] = Line.split(':');
      if (Key == "voluntary_ctxt_switches")
        Value.trim().getAsInteger(10, T.VoluntaryCs);
      else if (Key == "nonvoluntary_ctxt_switches")
        Value.trim().getAsInteger(10, T.InvoluntaryCs);
    }
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
}

} // namespace threadwise::collect
