//===- PerfEvents.cpp - Counting perf events for the whole process tree ---===//
#include "PerfEvents.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include <map>
#include <tuple>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <perfmon/pfmlib_perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace llvm;

namespace threadwise::collect {

std::vector<std::string> PerfEvents::defaultEvents() {
  return {"task-clock", "context-switches", "cpu-migrations", "page-faults",
          "cycles",     "instructions",     "cache-misses"};
}

std::vector<std::string> PerfEvents::parseList(StringRef List) {
  if (List.trim().empty())
    return defaultEvents();
  std::vector<std::string> Names;
  SmallVector<StringRef, 8> Parts;
  List.split(Parts, ',', -1, false);
  for (StringRef P : Parts)
    if (!P.trim().empty())
      Names.push_back(P.trim().str());
  return Names;
}

PerfEvents::~PerfEvents() {
  for (Event &E : Events)
    for (int Fd : E.Fds)
      ::close(Fd);
}

static std::string errnoReason(int Err) {
  const char *Name = Err == ENOENT       ? "ENOENT"
                     : Err == EACCES     ? "EACCES"
                     : Err == EPERM      ? "EPERM"
                     : Err == EINVAL     ? "EINVAL"
                     : Err == ENODEV     ? "ENODEV"
                     : Err == EOPNOTSUPP ? "EOPNOTSUPP"
                     : Err == EMFILE     ? "EMFILE"
                     : Err == ESRCH      ? "ESRCH"
                                         : "errno";
  std::string R = std::string(Name) + ": " + std::strerror(Err);
  if (Err == ENOENT)
    R += " (event not supported here, e.g. no hardware PMU)";
  return R;
}

/// libpfm4, set up with its generic "perf" PMU only (GenericOnly) or with
/// every PMU it knows. Probing all of them costs ~2 ms here (a cpuid per PMU
/// model, each a VM exit), a tenth of a profiled run's fixed cost, and the
/// default events (task-clock, cycles, ...) are all generic perf events. A
/// user's LIBPFM_FORCE_PMU is theirs: then there is one set-up, theirs.
static bool initPfm(bool GenericOnly, std::string &Reason) {
  enum Scope { None, Generic, Full };
  static Scope Done = None;
  static int Init = PFM_SUCCESS;
  bool Enough = Done == Full || (Done == Generic && GenericOnly);
  if (!Enough && GenericOnly && !std::getenv("LIBPFM_FORCE_PMU")) {
    ::setenv("LIBPFM_FORCE_PMU", "perf", 1); // read by pfm_initialize only
    Init = pfm_initialize();
    ::unsetenv("LIBPFM_FORCE_PMU"); // not in the profiled command's environment
    Done = Generic;
  } else if (!Enough) {
    if (Done != None)
      pfm_terminate();
    Init = pfm_initialize();
    Done = Full;
  }
  if (Init != PFM_SUCCESS)
    Reason = std::string("libpfm: ") + pfm_strerror(Init);
  return Init == PFM_SUCCESS;
}

/// libpfm4 encoding of Name, user and kernel levels; false with Reason set.
/// Tried with the generic PMU first, then with all of them.
static bool encode(const std::string &Name, perf_event_attr &Attr, std::string &Reason) {
  int R = PFM_ERR_NOTFOUND;
  for (bool GenericOnly : {true, false}) {
    if (!initPfm(GenericOnly, Reason))
      return false;
    std::memset(&Attr, 0, sizeof Attr);
    pfm_perf_encode_arg_t Arg;
    std::memset(&Arg, 0, sizeof Arg);
    Arg.attr = &Attr;
    Arg.size = sizeof Arg;
    R = pfm_get_os_event_encoding(Name.c_str(), PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &Arg);
    if (R == PFM_SUCCESS)
      break;
  }
  if (R != PFM_SUCCESS) {
    Reason = std::string("libpfm: ") + pfm_strerror(R);
    return false;
  }
  Attr.size = sizeof Attr;
  Attr.exclude_kernel = 1;
  Attr.exclude_hv = 1;
  Attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
  // Software events such as context-switches happen in the kernel: with
  // exclude_kernel they read 0. Count them whole when allowed, else user-only.
  if (Attr.type == PERF_TYPE_SOFTWARE)
    Attr.exclude_kernel = 0;
  return true;
}

/// perf_event_open, retried user-only when the kernel part is not allowed.
static int openCounter(perf_event_attr Attr, pid_t Pid, bool &UserOnly) {
  int Fd = static_cast<int>(syscall(SYS_perf_event_open, &Attr, Pid, -1, -1, PERF_FLAG_FD_CLOEXEC));
  if (Fd < 0 && (errno == EACCES || errno == EPERM) && !Attr.exclude_kernel) {
    Attr.exclude_kernel = 1;
    UserOnly = true;
    Fd = static_cast<int>(syscall(SYS_perf_event_open, &Attr, Pid, -1, -1, PERF_FLAG_FD_CLOEXEC));
  }
  return Fd;
}

template <typename OpenFn>
void PerfEvents::openEach(const std::vector<std::string> &Names, OpenFn Open) {
  for (const std::string &Name : Names) {
    Event E;
    E.Name = Name;
    perf_event_attr Attr;
    if (encode(Name, Attr, E.Reason))
      Open(E, Attr);
    Events.push_back(std::move(E));
  }
}

void PerfEvents::open(pid_t Pid, const std::vector<std::string> &Names) {
  openEach(Names, [&](Event &E, perf_event_attr &Attr) {
    Attr.disabled = 1;
    Attr.enable_on_exec = 1;
    Attr.inherit = 1;
    int Fd = openCounter(Attr, Pid, E.UserOnly);
    if (Fd >= 0)
      E.Fds.push_back(Fd);
    else
      E.Reason = errnoReason(errno);
  });
}

void PerfEvents::attach(const std::vector<pid_t> &Tids, const std::vector<std::string> &Names,
                        unsigned MaxFds) {
  ThreadsTotal = Tids.size();
  size_t PerEvent = Names.empty() ? 0 : std::max<size_t>(1, MaxFds / Names.size());
  openEach(Names, [&](Event &E, perf_event_attr &Attr) {
    Attr.inherit = 1; // threads started later by a counted thread count too
    int LastErrno = 0;
    for (size_t I = 0; I < Tids.size() && I < PerEvent; ++I) {
      int Fd = openCounter(Attr, Tids[I], E.UserOnly);
      if (Fd >= 0)
        E.Fds.push_back(Fd);
      else if (errno != ESRCH) // a thread that just ended is no failure
        LastErrno = errno;
    }
    if (E.Fds.empty())
      E.Reason = errnoReason(LastErrno ? LastErrno : ESRCH);
  });
}

unsigned PerfEvents::opened() const {
  unsigned N = 0;
  for (const Event &E : Events)
    N += !E.Fds.empty();
  return N;
}

std::string PerfEvents::failures() const {
  std::string Out;
  for (const Event &E : Events)
    if (E.Fds.empty())
      Out += "  " + E.Name + ": " + E.Reason + "\n";
  return Out;
}

std::vector<std::pair<std::string, std::string>>
PerfEvents::unencodable(const std::vector<std::string> &Names) {
  std::vector<std::pair<std::string, std::string>> Out;
  for (const std::string &Name : Names) {
    perf_event_attr Attr;
    std::string Reason;
    if (!encode(Name, Attr, Reason))
      Out.push_back({Name, Reason});
  }
  return Out;
}

double PerfEvents::scaledCount(uint64_t Value, uint64_t EnabledNs, uint64_t RunningNs,
                               bool &Multiplexed) {
  Multiplexed = RunningNs && RunningNs < EnabledNs;
  return Multiplexed ? static_cast<double>(Value) * EnabledNs / RunningNs
                     : static_cast<double>(Value);
}

json::Object PerfEvents::read() const {
  json::Array Available, Unavailable;
  for (const Event &E : Events) {
    // Sum over the counted threads; each counter is scaled on its own.
    double Value = 0;
    uint64_t Enabled = 0, Running = 0;
    bool Scaled = false, Any = false;
    for (int Fd : E.Fds) {
      uint64_t V[3] = {0, 0, 0}; // value, time_enabled, time_running
      if (::read(Fd, V, sizeof V) != static_cast<ssize_t>(sizeof V))
        continue;
      Any = true;
      bool Multiplexed;
      Value += scaledCount(V[0], V[1], V[2], Multiplexed);
      Scaled |= Multiplexed;
      Enabled += V[1];
      Running += V[2];
    }
    if (Any) {
      json::Object O{{"name", E.Name},
                     {"value", static_cast<int64_t>(Value)},
                     {"scaled", Scaled},
                     {"user_only", E.UserOnly},
                     {"time_enabled_ns", static_cast<int64_t>(Enabled)},
                     {"time_running_ns", static_cast<int64_t>(Running)}};
      if (ThreadsTotal)
        O["threads_counted"] = static_cast<int64_t>(E.Fds.size());
      Available.push_back(std::move(O));
    } else {
      Unavailable.push_back(
          json::Object{{"name", E.Name}, {"reason", E.Reason.empty() ? "read failed" : E.Reason}});
    }
  }
  return json::Object{{"available", std::move(Available)}, {"unavailable", std::move(Unavailable)}};
}

unsigned PerfEvents::listOpenable(raw_ostream &OS) {
  std::string Reason;
  if (!initPfm(/*GenericOnly=*/false, Reason)) {
    OS << "threadwise profile: " << Reason << "\n";
    return 0;
  }
  // Each openable event once: libpfm4 names one perf event several ways
  // (TASK-CLOCK, PERF_COUNT_SW_TASK_CLOCK); the perf-style name leads.
  struct Listed {
    std::string Kind;
    std::vector<std::string> Names;
    bool UserOnly = false;
  };
  std::vector<Listed> Out;
  std::map<std::tuple<uint32_t, uint64_t, uint64_t>, size_t> ByEncoding;
  for (int P = PFM_PMU_NONE; P < PFM_PMU_MAX; ++P) {
    pfm_pmu_t Pmu = static_cast<pfm_pmu_t>(P);
    pfm_pmu_info_t PInfo;
    std::memset(&PInfo, 0, sizeof PInfo);
    PInfo.size = sizeof PInfo;
    if (pfm_get_pmu_info(Pmu, &PInfo) != PFM_SUCCESS || !PInfo.is_present ||
        Pmu == PFM_PMU_PERF_EVENT_RAW)
      continue;
    bool Generic = Pmu == PFM_PMU_PERF_EVENT;
    for (int I = PInfo.first_event; I != -1; I = pfm_get_event_next(I)) {
      pfm_event_info_t Info;
      std::memset(&Info, 0, sizeof Info);
      Info.size = sizeof Info;
      if (pfm_get_event_info(I, PFM_OS_PERF_EVENT_EXT, &Info) != PFM_SUCCESS)
        continue;
      std::string Name =
          Generic ? StringRef(Info.name).lower() : std::string(PInfo.name) + "::" + Info.name;
      perf_event_attr Attr;
      std::string Why;
      if (!encode(Name, Attr, Why))
        continue; // needs a unit mask or modifier to mean anything
      Attr.disabled = 1;
      bool UserOnly = false;
      int Fd = openCounter(Attr, 0, UserOnly);
      if (Fd < 0)
        continue;
      ::close(Fd);
      auto [It, New] = ByEncoding.emplace(std::make_tuple(Attr.type, Attr.config, Attr.config1),
                                          Out.size());
      if (New)
        Out.push_back({Attr.type == PERF_TYPE_SOFTWARE   ? "software"
                       : Attr.type == PERF_TYPE_HARDWARE ? "hardware"
                       : Attr.type == PERF_TYPE_HW_CACHE ? "hw-cache"
                                                         : std::string(PInfo.name),
                       {}, UserOnly});
      std::vector<std::string> &Names = Out[It->second].Names;
      bool Preferred = Name.find('-') != std::string::npos && !StringRef(Name).starts_with("perf_");
      Names.insert(Preferred && !Names.empty() && Names.front().find('-') == std::string::npos
                       ? Names.begin()
                       : Names.end(),
                   Name);
    }
  }
  for (const Listed &L : Out) {
    OS << left_justify(L.Names.front(), 24) << left_justify(L.Kind, 10);
    for (size_t I = 1; I < L.Names.size(); ++I)
      OS << (I == 1 ? "also: " : ", ") << L.Names[I];
    if (L.UserOnly)
      OS << (L.Names.size() > 1 ? " " : "") << "[user space only]";
    OS << "\n";
  }
  return Out.size();
}

} // namespace threadwise::collect
