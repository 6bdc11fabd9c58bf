//===- Program.h - Step 2: the linked, whole-program thread model ---------===//
//
// Links TU summaries into one program, discovers the threads it starts (from
// `main`, or from every function nobody calls), and resolves every access to
// the memory it touches, the thread that runs it, the locks held (caller
// context included) and the threads that may run at the same time.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_ANALYSIS_PROGRAM_H
#define THREADWISE_ANALYSIS_PROGRAM_H

#include "Summary.h"
#include "threadwise/Rules.h"
#include "llvm/ADT/ArrayRef.h"
#include <deque>
#include <memory>
#include <set>
#include <unordered_map>

namespace threadwise {

struct ThreadInfo {
  unsigned Id = 0;
  int Parent = -1;
  std::string EntryName; ///< "main" for the root thread.
  SourcePos SpawnPos;
  bool Multi = false; ///< Several instances may run at once.
  std::vector<unsigned> Ancestors; ///< Self first, then parent, ...
  // For the thread inventory (threadwise/Threads.h):
  std::string EntryKey;    ///< Function key of the entry.
  std::string Api;         ///< The rule that started it.
  std::string SpawnerName; ///< The function containing the spawn.
  unsigned Ordinal = 0;    ///< Among the spawner's spawns of the same entry.
  InstanceCount Instances; ///< How many may run at once.
  bool Repeated = false;   ///< Started in a loop, each joined before the next.
};

/// One step of the call chain from a thread's entry to an access.
struct CallChain {
  const CallEvent *Call = nullptr;
  std::string CallerName;
  std::string CallerKey;
  std::string CalleeName;
  const CallChain *Parent = nullptr;
};

struct ResolvedAccess {
  std::string Path;
  const AccessEvent *Event = nullptr;
  const FunctionSummary *Function = nullptr;
  unsigned Thread = 0;
  LockSet Locks;
  std::shared_ptr<const std::set<unsigned>> Concurrent;
  bool Distinct = false;      ///< The object differs per instance of Thread.
  bool IndexDistinct = false; ///< The element index differs per instance.
  /// A local of a function this thread itself runs: each instance of the
  /// thread has its own frame, so instances never share it.
  bool FrameLocal = false;
  /// OpenMP: the barrier phase and the single/section block the access runs
  /// in, inherited from the call site when the access is in a callee.
  unsigned OmpPhase = 0;
  std::string OmpOnce;
  const CallChain *Chain = nullptr;
};

/// A CpuRegion as run by one thread, with the locks held there (caller
/// context included) and which of them differ per instance of the thread.
struct ResolvedCpuRegion {
  const CpuRegion *Region = nullptr;
  const FunctionSummary *Function = nullptr;
  unsigned Thread = 0;
  LockSet Locks;
  std::set<std::string> DistinctLocks; ///< Bound to a per-instance object.
  std::shared_ptr<const std::set<unsigned>> Concurrent;
  const CallChain *Chain = nullptr;
};

/// A function a thread runs (its entry or a callee), with the blocking calls
/// and CPU regions in it, for the thread inventory.
struct ThreadFunction {
  unsigned Thread = 0;
  const FunctionSummary *Function = nullptr;
};

class ProgramModel {
public:
  ProgramModel(llvm::ArrayRef<const TUSummary *> TUs, const RuleSet &Rules);

  const std::vector<ThreadInfo> &threads() const { return Threads; }
  const std::vector<ResolvedAccess> &accesses() const { return Accesses; }
  const std::vector<ResolvedCpuRegion> &cpuRegions() const { return CpuRegions; }
  /// Every (thread, function) pair the linker visited.
  const std::vector<ThreadFunction> &threadFunctions() const { return ThreadFunctions; }
  const FunctionSummary *function(const std::string &Key) const;
  const RuleSet &rules() const { return Rules; }
  const VariableInfo *variable(const std::string &Key) const;

  /// The name a user knows a path by: `counter`, `ns::g`, `Stats::hits`.
  std::string displayName(llvm::StringRef Path) const;
  /// True when some thread of the program runs at the same time as another.
  bool mayRunConcurrently(const ResolvedAccess &A, const ResolvedAccess &B) const;
  /// Locks that protect this access: exclusive ones, plus shared ones for reads.
  static std::set<std::string> effectiveLocks(const ResolvedAccess &A);

private:
  struct Context {
    unsigned Thread = 0;
    std::vector<std::string> Args;
    std::vector<bool> ArgDistinct;
    std::string This;
    bool ThisDistinct = false;
    LockSet EntryLocks;
    std::shared_ptr<const std::set<unsigned>> Concurrent;
    bool Repeats = false; ///< Reached from a loop: spawns inside run many times.
    InstanceCount Repeat; ///< How many times, when Repeats.
    bool InOmp = false;   ///< Called from inside an OpenMP region.
    unsigned OmpPhase = 0;
    std::string OmpOnce;
    const CallChain *Chain = nullptr;
    std::set<std::string> DistinctLocks; ///< Entry locks bound per instance.
  };

  std::set<unsigned> visit(const FunctionSummary &F, const Context &C, unsigned Depth);
  unsigned newThread(int Parent, const std::string &Name, const SourcePos &Pos, bool Multi);
  std::shared_ptr<const std::set<unsigned>> intern(std::set<unsigned> S);
  std::string bind(const std::string &Path, const Context &C, bool *Distinct) const;

  const RuleSet &Rules;
  std::unordered_map<std::string, const FunctionSummary *> Functions;
  std::unordered_map<std::string, const VariableInfo *> Variables;
  std::vector<ThreadInfo> Threads;
  std::vector<ResolvedAccess> Accesses;
  std::deque<CallChain> Chains;
  std::vector<ResolvedCpuRegion> CpuRegions;
  std::vector<ThreadFunction> ThreadFunctions;
  std::set<std::pair<unsigned, const FunctionSummary *>> ThreadFunctionSeen;
  std::map<std::string, std::set<unsigned>> Memo;
  std::set<std::pair<std::string, unsigned>> OnStack;
  std::map<std::set<unsigned>, std::shared_ptr<const std::set<unsigned>>> Interned;
  size_t Budget = 400000;
};

} // namespace threadwise

#endif
