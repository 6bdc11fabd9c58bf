//===- PerfEvents.cpp - Counting perf events for the whole process tree ---===//
#include "PerfEvents.h"
#include <cerrno>
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

PerfEvents::~PerfEvents() {
  for (Event &E : Events)
    if (E.Fd >= 0)
      ::close(E.Fd);
}

static std::string errnoReason(int Err) {
  const char *Name = Err == ENOENT       ? "ENOENT"
                     : Err == EACCES     ? "EACCES"
                     : Err == EPERM      ? "EPERM"
                     : Err == EINVAL     ? "EINVAL"
                     : Err == ENODEV     ? "ENODEV"
                     : Err == EOPNOTSUPP ? "EOPNOTSUPP"
                                         : "errno";
  std::string R = std::string(Name) + ": " + std::strerror(Err);
  if (Err == ENOENT)
    R += " (event not supported here, e.g. no hardware PMU)";
  return R;
}

void PerfEvents::open(pid_t Pid, const std::vector<std::string> &Names) {
  int Init = pfm_initialize();
  for (const std::string &Name : Names) {
    Event E;
    E.Name = Name;
    if (Init != PFM_SUCCESS) {
      E.Reason = std::string("libpfm: ") + pfm_strerror(Init);
      Events.push_back(E);
      continue;
    }
    perf_event_attr Attr;
    std::memset(&Attr, 0, sizeof Attr);
    pfm_perf_encode_arg_t Arg;
    std::memset(&Arg, 0, sizeof Arg);
    Arg.attr = &Attr;
    Arg.size = sizeof Arg;
    int R = pfm_get_os_event_encoding(Name.c_str(), PFM_PLM3, PFM_OS_PERF_EVENT_EXT, &Arg);
    if (R != PFM_SUCCESS) {
      E.Reason = std::string("libpfm: ") + pfm_strerror(R);
      Events.push_back(E);
      continue;
    }
    Attr.size = sizeof Attr;
    Attr.disabled = 1;
    Attr.enable_on_exec = 1;
    Attr.inherit = 1;
    Attr.exclude_kernel = 1;
    Attr.exclude_hv = 1;
    Attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    // Software events such as context-switches happen in the kernel: with
    // exclude_kernel they read 0. Count them whole when allowed, else user-only.
    if (Attr.type == PERF_TYPE_SOFTWARE)
      Attr.exclude_kernel = 0;
    E.Fd = static_cast<int>(syscall(SYS_perf_event_open, &Attr, Pid, -1, -1, PERF_FLAG_FD_CLOEXEC));
    if (E.Fd < 0 && (errno == EACCES || errno == EPERM) && !Attr.exclude_kernel) {
      Attr.exclude_kernel = 1;
      E.UserOnly = true;
      E.Fd =
          static_cast<int>(syscall(SYS_perf_event_open, &Attr, Pid, -1, -1, PERF_FLAG_FD_CLOEXEC));
    }
    if (E.Fd < 0)
      E.Reason = errnoReason(errno);
    Events.push_back(E);
  }
}

json::Object PerfEvents::read() const {
  json::Array Available, Unavailable;
  for (const Event &E : Events) {
    uint64_t V[3] = {0, 0, 0}; // value, time_enabled, time_running
    if (E.Fd >= 0 && ::read(E.Fd, V, sizeof V) == static_cast<ssize_t>(sizeof V)) {
      bool Scaled = V[2] && V[2] < V[1];
      uint64_t Value = V[0];
      if (Scaled) // multiplexed: extrapolate to the whole enabled time
        Value = static_cast<uint64_t>(static_cast<double>(V[0]) * V[1] / V[2]);
      Available.push_back(json::Object{{"name", E.Name},
                                       {"value", static_cast<int64_t>(Value)},
                                       {"scaled", Scaled},
                                       {"user_only", E.UserOnly},
                                       {"time_enabled_ns", static_cast<int64_t>(V[1])},
                                       {"time_running_ns", static_cast<int64_t>(V[2])}});
    } else {
      Unavailable.push_back(
          json::Object{{"name", E.Name}, {"reason", E.Reason.empty() ? "read failed" : E.Reason}});
    }
  }
  return json::Object{{"available", std::move(Available)}, {"unavailable", std::move(Unavailable)}};
}

} // namespace threadwise::collect
