//===- Summary.h - Per-TU facts the whole-program step links --------------===//
//
// A TUSummary holds, per function with a body, what happened in it in the
// function's own terms: accesses to memory named by an access path, the locks
// held at each (relative to function entry), calls with their argument
// bindings, and thread spawns. Paths rooted at parameters or `this` are
// substituted by the linker with the caller's or spawner's bindings.
//
// Access paths are strings so summaries are cheap to merge across TUs:
//   G:<qualified-name>       a global / static / static member
//   L:<function>:<name>@<n>  a local of <function> (shared only if it escapes)
//   P<i>:                    what parameter i points or refers to
//   T:                       the object `this` points to
//   H:<file>:<line>:<col>    objects allocated at that site
// followed by selectors: ".Class::field", "[]" (an element), "*" (pointee).
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_ANALYSIS_SUMMARY_H
#define THREADWISE_ANALYSIS_SUMMARY_H

#include "threadwise/Finding.h"
#include "threadwise/Threads.h"
#include <map>
#include <string>
#include <vector>

namespace threadwise {

/// A set of held locks: path -> shared (reader) mode.
using LockSet = std::map<std::string, bool>;

/// How an array index relates to the thread running it, so that
/// `a[i]` in an OpenMP worksharing loop or `a[tid]` is known to be private.
struct IndexTag {
  enum Kind { None, LoopVar, ThreadId } K = None;
  std::string Var; ///< The loop variable / thread-id variable key.
  long Offset = 0;
  bool operator==(const IndexTag &O) const {
    return K == O.K && Var == O.Var && Offset == O.Offset;
  }
};

/// Where an access sits inside an OpenMP parallel region.
struct OmpScope {
  unsigned Phase = 0;    ///< Barrier-separated phase within the region.
  unsigned OnceId = 0;   ///< Non-zero inside single/master/section: one thread runs it.
  IndexTag Index;
};

struct AccessEvent {
  std::string Path;
  std::string Name; ///< Variable as a user names it (counter, Stats::hits).
  bool IsWrite = false;
  bool IsAtomic = false;
  LockSet Locks;
  std::vector<unsigned> LiveSpawns; ///< Local spawn ids that may run concurrently.
  OmpScope Omp;
  SourcePos Pos;
  unsigned Order = 0; ///< Source order within the function.
  std::string VarKey; ///< Declaration key of the root variable, for fix-its.
};

struct CallEvent {
  std::string Callee; ///< Function key.
  std::vector<std::string> Args; ///< Per parameter: the path it binds P<i> to, or "".
  std::string This;              ///< Path the callee's T: binds to, or "".
  std::vector<bool> ArgDistinct; ///< Binding differs per loop iteration (&a[i]).
  bool InLoop = false;
  InstanceCount Repeat; ///< How often the loops around the call run it.
  /// The callee's lock effects (a lock()/unlock() wrapper) were applied when
  /// summarizing; otherwise the linker applies them in source order.
  bool EffectsApplied = false;
  OmpScope Omp; ///< A call inside `single`/`section` runs its callee once.
  LockSet Locks;
  std::vector<unsigned> LiveSpawns;
  SourcePos Pos;
  unsigned Order = 0;
};

struct SpawnEvent {
  unsigned Id = 0;
  /// Function key of the thread's entry, or "P<i>:" when the entry is a
  /// function pointer parameter (bound by callers to "F:<key>").
  std::string Entry;
  std::string EntryName;
  std::vector<std::string> Args; ///< Bindings of the entry's parameters.
  std::string This;
  std::vector<bool> ArgDistinct; ///< Binding differs per instance (&args[i] in a loop).
  bool Multi = false;   ///< Spawned in a loop, or an OpenMP team.
  bool Escapes = false; ///< May still run when the function returns.
  bool Synchronous = false; ///< Joined where it starts (OpenMP regions).
  std::string Api;          ///< The rule that started it (std::thread, pthread_create...).
  /// The loops around the spawn (or an OpenMP team's size): how many
  /// instances run when Multi.
  InstanceCount Repeat;
  std::vector<unsigned> LiveSpawns; ///< Local spawns running when this one starts.
  LockSet Locks;
  SourcePos Pos;
  unsigned Order = 0;
};

struct VariableInfo {
  std::string Name;
  SourcePos Pos;
  std::string GuardedBy; ///< Lock path from GUARDED_BY, if annotated.
  bool ScalarFixable = false;
  FixIt AtomicFix; ///< Rewrites the declaration's type to an atomic one.
  /// annotate("threadwise::benign_race"): racy on purpose or protected by
  /// something the analysis cannot see; the race check skips it.
  bool Benign = false;
};

/// CPU work found in a function (issue 5): a heavy loop nest or a call to a
/// cpu-heavy API, with the locks held where it starts.
struct CpuRegion {
  enum Kind { Loop, HeavyCall } K = Loop;
  std::string What;   ///< "loop" or the API's qualified name.
  std::string Reason; ///< Why it counts as heavy, for messages.
  LockSet Locks;      ///< Relative to function entry, like AccessEvent::Locks.
  SourcePos Pos;
  unsigned Order = 0;
  bool TouchesPython = false; ///< Calls the Python C API inside: cannot drop the GIL.
};

/// A call to an API the rule packs list under `blocking:` (or, in
/// PythonApiCalls, to the Python C API).
struct BlockingCall {
  std::string Api;
  SourcePos Pos;
  unsigned Order = 0;
};

/// Py_BEGIN_ALLOW_THREADS .. Py_END_ALLOW_THREADS, in source order.
struct GilReleasedRange {
  unsigned Begin = 0, End = 0;
  SourcePos Pos; ///< The PyEval_SaveThread call.
};

struct FunctionSummary {
  std::string Key;  ///< Stable across TUs (USR).
  std::string Name; ///< Qualified, for messages.
  SourcePos Pos;
  bool IsMain = false;
  std::vector<AccessEvent> Accesses;
  std::vector<CallEvent> Calls;
  std::vector<SpawnEvent> Spawns;
  LockSet RequiredLocks; ///< REQUIRES(...) annotations: held on entry.
  LockSet AcquiredOnExit;  ///< Locks still held when it returns (lock wrappers).
  std::vector<std::string> ReleasedOnExit;
  std::vector<unsigned> JoinsParams; ///< Joins the thread handles passed as these.
  std::vector<CpuRegion> CpuRegions; ///< Filled by CpuFacts.cpp.
  std::vector<BlockingCall> Blocking;
  bool PythonEntry = false; ///< In a PyMethodDef table or a type slot.
  std::vector<GilReleasedRange> GilReleased;
  std::vector<BlockingCall> PythonApiCalls;
};

struct TUSummary {
  std::string MainFile;
  /// Every file the TU read, absolute, main file first: what the incremental
  /// cache re-hashes to know whether this summary still holds.
  std::vector<std::string> Files;
  std::map<std::string, FunctionSummary> Functions;
  std::map<std::string, VariableInfo> Variables; ///< By declaration key.
  std::vector<std::string> Errors;
};

} // namespace threadwise

#endif
