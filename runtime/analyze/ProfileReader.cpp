//===- ProfileReader.cpp - JSON profile -> Profile structs ----------------===//
//
// Lenient on purpose: every number may be absent (proc-only profiles carry no
// lock or GIL data, hand-made test profiles carry only what they test), and
// extra fields are ignored so version 1 can grow without breaking readers.
//
//===----------------------------------------------------------------------===//
#include "threadwise/runtime/Profile.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>

using namespace llvm;
using namespace threadwise::runtime;

static int64_t num(const json::Object &O, StringRef Key) {
  const json::Value *V = O.get(Key);
  if (!V)
    return 0;
  if (auto I = V->getAsInteger())
    return *I;
  if (auto D = V->getAsNumber())
    return static_cast<int64_t>(*D);
  return 0;
}

static std::string str(const json::Object &O, StringRef Key) {
  if (auto S = O.getString(Key))
    return S->str();
  return "";
}

static int64_t num(const json::Value &V) {
  if (auto I = V.getAsInteger())
    return *I;
  if (auto D = V.getAsNumber())
    return static_cast<int64_t>(*D);
  return 0;
}

static void readExit(const json::Object &O, int64_t &Code, int64_t &Signal) {
  if (const json::Object *E = O.getObject("exit")) {
    Code = num(*E, "code");
    Signal = num(*E, "signal");
  }
}

static std::vector<std::string> strings(const json::Object &O, StringRef Key) {
  std::vector<std::string> Out;
  if (const json::Array *A = O.getArray(Key))
    for (const json::Value &V : *A)
      if (auto S = V.getAsString())
        Out.push_back(S->str());
  return Out;
}

static ProfileThread readThread(const json::Object &O) {
  ProfileThread T;
  T.Tid = num(O, "tid");
  T.Name = str(O, "name");
  T.Start = num(O, "start_ns");
  T.End = num(O, "end_ns");
  T.UserNs = num(O, "user_ns");
  T.SysNs = num(O, "sys_ns");
  T.RunDelayNs = num(O, "run_delay_ns");
  T.VoluntaryCs = num(O, "voluntary_cs");
  T.InvoluntaryCs = num(O, "involuntary_cs");
  T.LockWaitNs = num(O, "lock_wait_ns");
  T.IoWaitNs = num(O, "io_wait_ns");
  T.SleepNs = num(O, "sleep_ns");
  T.CondWaitNs = num(O, "cond_wait_ns");
  T.GilWaitNs = num(O, "gil_wait_ns");
  T.GilWaits = num(O, "gil_waits");
  T.GilDrops = num(O, "gil_drops");
  T.ExactCpuNs = num(O, "cpu_ns");
  if (const json::Object *ByFd = O.getObject("io_wait_by_fd"))
    T.PipeWaitNs = std::min(num(*ByFd, "pipe"), T.IoWaitNs);
  if (const json::Array *A = O.getArray("intervals"))
    for (const json::Value &V : *A) {
      const json::Array *I = V.getAsArray();
      if (!I || I->size() < 3)
        continue;
      ProfileInterval PI;
      PI.Start = num((*I)[0]);
      PI.End = num((*I)[1]);
      if (auto K = (*I)[2].getAsString())
        PI.Kind = K->str();
      if (I->size() > 3)
        PI.Site = num((*I)[3]);
      if (PI.End >= PI.Start)
        T.Intervals.push_back(std::move(PI));
    }
  if (const json::Array *A = O.getArray("samples"))
    for (const json::Value &V : *A) {
      const json::Array *S = V.getAsArray();
      if (!S || S->size() < 2)
        continue;
      ProfileSample PS;
      PS.T = num((*S)[0]);
      PS.CpuNs = num((*S)[1]);
      PS.RunDelayNs = S->size() > 2 ? num((*S)[2]) : 0;
      T.Samples.push_back(PS);
    }
  if (const json::Array *A = O.getArray("stacks"))
    for (const json::Value &V : *A) {
      const json::Object *S = V.getAsObject();
      if (!S)
        continue;
      ProfileStack PS;
      PS.Kind = str(*S, "kind");
      PS.ValueNs = num(*S, "value_ns");
      PS.Samples = num(*S, "samples");
      if (const json::Array *F = S->getArray("frames"))
        for (const json::Value &Id : *F)
          PS.Frames.push_back(num(Id));
      if (!PS.Kind.empty() && PS.ValueNs >= 0)
        T.Stacks.push_back(std::move(PS));
    }
  // Clocks of different sources may disagree by a tick; keep a usable order.
  if (T.End < T.Start)
    T.End = T.Start;
  return T;
}

static ProfileProcess readProcess(const json::Object &O) {
  ProfileProcess P;
  P.Pid = num(O, "pid");
  P.Ppid = num(O, "ppid");
  P.Exe = str(O, "exe");
  P.Argv = strings(O, "argv");
  P.Start = num(O, "start_ns");
  P.End = num(O, "end_ns");
  P.SpawnNs = num(O, "spawn_ns");
  readExit(O, P.ExitCode, P.ExitSignal);
  if (const json::Object *Py = O.getObject("python")) {
    P.Python.Present = true;
    P.Python.Version = str(*Py, "version");
    P.Python.FreeThreaded = Py->getBoolean("free_threaded").value_or(false);
    P.Python.Stacks = Py->getBoolean("stacks").value_or(true);
    P.Python.SharedLibpython =
        Py->getBoolean("shared_libpython").value_or(false);
  }
  if (const json::Array *A = O.getArray("threads"))
    for (const json::Value &V : *A)
      if (const json::Object *T = V.getAsObject())
        P.Threads.push_back(readThread(*T));
  if (const json::Array *A = O.getArray("frames"))
    for (const json::Value &V : *A) {
      ProfileFrame F;
      if (const json::Object *FO = V.getAsObject()) {
        F.Function = str(*FO, "function");
        F.File = str(*FO, "file");
        F.Line = num(*FO, "line");
        F.Module = str(*FO, "module");
        F.Kind = str(*FO, "kind");
        F.Address = str(*FO, "address");
      }
      P.Frames.push_back(std::move(F));
    }
  P.StackSamplePeriodNs = num(O, "stack_sample_period_ns");
  // A stack naming a frame the table lacks is dropped, not trusted.
  for (ProfileThread &T : P.Threads)
    llvm::erase_if(T.Stacks, [&](const ProfileStack &S) {
      return llvm::any_of(S.Frames, [&](int64_t Id) {
        return Id < 0 || Id >= static_cast<int64_t>(P.Frames.size());
      });
    });
  return P;
}

static void readEvents(const json::Array *A, std::vector<ProfileEvent> &Out) {
  if (!A)
    return;
  for (const json::Value &V : *A) {
    const json::Object *O = V.getAsObject();
    if (!O)
      continue;
    ProfileEvent E;
    E.Name = str(*O, "name");
    E.Value = num(*O, "value");
    E.Scaled = O->getBoolean("scaled").value_or(false);
    E.Reason = str(*O, "reason");
    Out.push_back(std::move(E));
  }
}

std::string ProfileFrame::label() const {
  if (Kind == "python" && !File.empty()) // as py-spy spells them
    return (Function.empty() ? std::string("<module>") : Function) + " (" +
           File.substr(File.rfind('/') + 1) + ":" + std::to_string(Line) + ")";
  if (!Function.empty())
    return Function;
  std::string Base = Module.substr(Module.rfind('/') + 1);
  if (Base.empty())
    return Address.empty() ? "[unknown]" : Address;
  return Address.empty() ? Base : Base + "+" + Address;
}

const ProfileSite *Profile::site(int64_t Id) const {
  for (const ProfileSite &S : Sites)
    if (S.Id == Id)
      return &S;
  return nullptr;
}

const json::Object *
threadwise::runtime::findProfileObject(const json::Object &Root,
                                       std::string &Why) {
  std::optional<StringRef> Format = Root.getString("format");
  if (Format && *Format == "threadwise-profile")
    return &Root;
  if (Format && *Format == "threadwise-report") {
    if (const json::Object *P = Root.getObject("profile"))
      return findProfileObject(*P, Why);
    Why = "the report does not embed its profile (no \"profile\" object)";
    return nullptr;
  }
  Why = Format ? "unknown format '" + Format->str() + "'"
               : std::string("not a threadwise profile or report (no "
                             "\"format\" field)");
  return nullptr;
}

Expected<Profile> threadwise::runtime::parseProfile(const json::Object &Root) {
  if (Root.getString("format").value_or("") != "threadwise-profile")
    return createStringError(inconvertibleErrorCode(),
                             "not a threadwise profile (\"format\" must be "
                             "\"threadwise-profile\")");
  int64_t Version = num(Root, "version");
  if (Version != 1)
    return createStringError(inconvertibleErrorCode(),
                             "unsupported profile version " +
                                 std::to_string(Version) +
                                 " (this threadwise "
                                 "reads version 1)");
  Profile P;
  P.Command = strings(Root, "command");
  P.Start = num(Root, "start_ns");
  P.End = num(Root, "end_ns");
  P.WallNs = num(Root, "wall_ns");
  readExit(Root, P.ExitCode, P.ExitSignal);
  if (const json::Object *M = Root.getObject("machine")) {
    P.Cores = static_cast<int>(num(*M, "cores"));
    // A run pinned to fewer CPUs (taskset, cgroup cpusets) can use only those.
    int64_t Allowed = num(*M, "cpus_allowed");
    if (Allowed > 0 && (P.Cores <= 0 || Allowed < P.Cores))
      P.Cores = static_cast<int>(Allowed);
    P.Kernel = str(*M, "kernel");
    P.Hostname = str(*M, "hostname");
  }
  if (P.Cores < 1)
    P.Cores = 1;
  P.Mode = str(Root, "mode");
  if (const json::Object *E = Root.getObject("events")) {
    readEvents(E->getArray("available"), P.EventsAvailable);
    readEvents(E->getArray("unavailable"), P.EventsUnavailable);
  }
  if (const json::Array *A = Root.getArray("processes"))
    for (const json::Value &V : *A)
      if (const json::Object *O = V.getAsObject())
        P.Processes.push_back(readProcess(*O));
  if (const json::Array *A = Root.getArray("sites"))
    for (const json::Value &V : *A)
      if (const json::Object *O = V.getAsObject()) {
        ProfileSite S;
        S.Id = num(*O, "id");
        S.Kind = str(*O, "kind");
        S.Function = str(*O, "function");
        S.File = str(*O, "file");
        S.Module = str(*O, "module");
        S.Object = str(*O, "object");
        S.Line = num(*O, "line");
        S.WaitNs = num(*O, "wait_ns");
        S.Count = num(*O, "count");
        P.Sites.push_back(std::move(S));
      }
  // Wall time: trust wall_ns, else the span of the run or of its threads.
  if (P.WallNs <= 0 && P.End > P.Start)
    P.WallNs = P.End - P.Start;
  if (P.WallNs <= 0) {
    int64_t Lo = INT64_MAX, Hi = INT64_MIN;
    for (const ProfileProcess &Proc : P.Processes)
      for (const ProfileThread &T : Proc.Threads) {
        Lo = std::min(Lo, T.Start);
        Hi = std::max(Hi, T.End);
      }
    if (Hi > Lo) {
      P.WallNs = Hi - Lo;
      if (P.Start == 0)
        P.Start = Lo;
    }
  }
  if (P.End <= P.Start)
    P.End = P.Start + P.WallNs;
  return P;
}
