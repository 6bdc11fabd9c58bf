//===- Profile.h - The merged profile, read back into memory --------------===//
//
// `threadwise profile` merges what the preload library and the launcher
// recorded into one JSON file ("format": "threadwise-profile", "version": 1,
// docs/runtime.md "JSON schema"). The analyzer reads it into these plain
// structs; absent numbers read as 0 so hand-made and proc-only profiles work.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_RUNTIME_PROFILE_H
#define THREADWISE_RUNTIME_PROFILE_H

#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"
#include <cstdint>
#include <string>
#include <vector>

namespace threadwise::runtime {

/// One off-CPU stretch of a thread: Kind is lock, io, sleep, wait or gil.
struct ProfileInterval {
  int64_t Start = 0, End = 0;
  std::string Kind;
  int64_t Site = -1;
};

/// Cumulative counters of one thread at time T.
struct ProfileSample {
  int64_t T = 0, CpuNs = 0, RunDelayNs = 0;
};

/// One call stack of a thread and what it accumulated (docs/runtime.md
/// "Flame graphs"). Kind: cpu, runnable, lock, io, sleep, wait or gil. A
/// thread's stacks of one kind add up to its total of that kind.
struct ProfileStack {
  std::vector<int64_t> Frames; ///< indices into ProfileProcess::Frames, root first
  std::string Kind;
  int64_t ValueNs = 0;
  int64_t Samples = 0; ///< on-CPU samples (cpu, runnable) or waits
};

/// One entry of a process' frame table. Kind: native, python, or other (a
/// bracketed marker such as "[no stack]").
struct ProfileFrame {
  std::string Function, File, Module, Kind, Address;
  int64_t Line = 0;

  /// "worker(int)", "crunch (work.py:7)" for Python, or "libc.so.6+0x1234"
  /// when there is no symbol.
  std::string label() const;
};

struct ProfileThread {
  int64_t Tid = 0;
  std::string Name;
  int64_t Start = 0, End = 0;
  int64_t UserNs = 0, SysNs = 0, RunDelayNs = 0;
  int64_t VoluntaryCs = 0, InvoluntaryCs = 0;
  int64_t LockWaitNs = 0, IoWaitNs = 0, SleepNs = 0, CondWaitNs = 0;
  int64_t GilWaitNs = 0, GilWaits = 0, GilDrops = 0;
  int64_t ExactCpuNs = 0; ///< "cpu_ns" (schedstat), finer than user + sys
  int64_t PipeWaitNs = 0; ///< "io_wait_by_fd"."pipe": part of IoWaitNs
  std::vector<ProfileInterval> Intervals;
  std::vector<ProfileSample> Samples;
  std::vector<ProfileStack> Stacks;

  int64_t cpuNs() const { return ExactCpuNs > 0 ? ExactCpuNs : UserNs + SysNs; }
  int64_t lifetimeNs() const { return End > Start ? End - Start : 0; }
};

struct PythonInfo {
  bool Present = false;
  std::string Version;
  bool FreeThreaded = false;
  bool SharedLibpython = false;
  bool Stacks = true; ///< Python frames were read (a CPython layout the build knows)
};

struct ProfileProcess {
  int64_t Pid = 0, Ppid = 0;
  std::string Exe;
  std::vector<std::string> Argv;
  int64_t Start = 0, End = 0, SpawnNs = 0;
  int64_t ExitCode = 0, ExitSignal = 0;
  PythonInfo Python;
  std::vector<ProfileThread> Threads;
  std::vector<ProfileFrame> Frames;
  int64_t StackSamplePeriodNs = 0; ///< 0: no on-CPU stack sampling

  /// CPython whose threads serialize on a GIL.
  bool hasGil() const { return Python.Present && !Python.FreeThreaded; }
};

struct ProfileSite {
  int64_t Id = 0;
  std::string Kind, Function, File, Module, Object;
  int64_t Line = 0, WaitNs = 0, Count = 0;
};

struct ProfileEvent {
  std::string Name;
  int64_t Value = 0;
  bool Scaled = false;
  std::string Reason; ///< Why an unavailable event fell back.
};

struct Profile {
  std::vector<std::string> Command;
  int64_t Start = 0, End = 0, WallNs = 0;
  int64_t ExitCode = 0, ExitSignal = 0;
  int Cores = 1;
  std::string Kernel, Hostname, Mode;
  std::vector<ProfileEvent> EventsAvailable, EventsUnavailable;
  std::vector<ProfileProcess> Processes;
  std::vector<ProfileSite> Sites;

  const ProfileSite *site(int64_t Id) const;
};

/// Reads a merged profile. Fails on a wrong "format" or an unknown "version".
llvm::Expected<Profile> parseProfile(const llvm::json::Object &Root);

/// The profile inside Root: Root itself when it is a profile, its "profile"
/// member when it is a saved report. Null (and Why set) otherwise.
const llvm::json::Object *findProfileObject(const llvm::json::Object &Root,
                                            std::string &Why);

} // namespace threadwise::runtime

#endif
