//===- Rules.h - Declarative rule packs (rules/*.yaml) --------------------===//
//
// A rule pack says which library APIs start threads, join them, take locks,
// block, or burn CPU. The static analysis and the runtime analyzer both read
// them, so recognising a new library needs a YAML file, not code. The schema
// is documented in docs/rules.md.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_RULES_H
#define THREADWISE_RULES_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace threadwise {

/// Where an argument comes from: a 0-based argument index, or the object a
/// member function is called on.
constexpr int ThisArg = -1;
constexpr int NoArg = -2;

struct ThreadRule {
  std::string Name;       ///< Qualified function, method or class (for constructors).
  bool Constructor = false;
  int EntryArg = 0;       ///< The callable that runs on the new thread.
  int FirstForwardedArg = NoArg; ///< std::thread-style: args passed to the callable.
  int ParamArg = NoArg;   ///< pthread-style: one void* handed to the entry.
  int HandleArg = NoArg;  ///< Where the handle goes (ThisArg for constructors).
  int PolicyArg = NoArg;  ///< std::async: the launch policy argument, if present.
  std::string RequiredPolicy; ///< e.g. "std::launch::async".
  bool JoinsOnDestroy = false; ///< std::jthread, std::async futures.
  std::string Library;
};

struct JoinRule {
  std::string Name;
  int HandleArg = ThisArg;
  std::string Library;
};

enum class LockAction { Acquire, AcquireShared, Release, TryAcquire, TryAcquireShared };
enum class TrySuccess { True, Zero };

struct LockRule {
  std::string Name;
  LockAction Action = LockAction::Acquire;
  int LockArg = ThisArg;
  TrySuccess Success = TrySuccess::True;
  bool AllArgs = false;     ///< std::lock / std::try_lock take every argument.
  std::string Library;
};

/// RAII lock holders: std::lock_guard, std::unique_lock, std::scoped_lock...
struct GuardRule {
  std::string Class;
  bool Shared = false;
  bool AllArgs = false;     ///< std::scoped_lock locks every argument.
  bool Relockable = false;  ///< Has lock()/unlock() and may be moved.
  std::string Library;
};

/// Functions that run a callable once, serialized with other callers
/// (std::call_once, pthread_once).
struct OnceRule {
  std::string Name;
  int FlagArg = 0;
  int CallableArg = 1;
  std::string Library;
};

enum class BlockingKind { IO, Sleep, Wait, Network };

struct BlockingRule {
  std::string Name;
  BlockingKind Kind = BlockingKind::IO;
  std::string Library;
};

struct CpuHeavyRule {
  std::string Name;
  std::string Library;
};

/// Every lookup takes NamedDecl::getQualifiedNameAsString() output and
/// normalises it first (see RuleSet::normalizeName). Returned pointers stay
/// valid until the next load*() call.
class RuleSet {
public:
  /// Loads one YAML rule pack and merges it into this set.
  llvm::Error loadFile(llvm::StringRef Path);
  llvm::Error loadBuffer(llvm::StringRef Yaml, llvm::StringRef Origin);
  /// Loads every *.yaml under Dir, sorted by name.
  llvm::Error loadDirectory(llvm::StringRef Dir);
  /// The bundled packs: $THREADWISE_RULES_DIR, then paths relative to the
  /// running executable (build tree and install prefix).
  llvm::Error loadDefault(const char *Argv0 = nullptr);
  static std::string findDefaultDirectory(const char *Argv0 = nullptr);

  const ThreadRule *threadFunction(llvm::StringRef QualName) const;
  const ThreadRule *threadConstructor(llvm::StringRef ClassName) const;
  const JoinRule *join(llvm::StringRef QualName) const;
  const LockRule *lock(llvm::StringRef QualName) const;
  const GuardRule *guard(llvm::StringRef ClassName) const;
  const OnceRule *once(llvm::StringRef QualName) const;
  const BlockingRule *blocking(llvm::StringRef QualName) const;
  const CpuHeavyRule *cpuHeavy(llvm::StringRef QualName) const;
  /// Types whose objects are synchronised by themselves (std::atomic...).
  bool isAtomicType(llvm::StringRef QualName) const;
  /// Types whose member calls are not data accesses (mutexes, condvars...).
  bool isSyncType(llvm::StringRef QualName) const;
  /// Functions that return a per-thread id (omp_get_thread_num).
  bool isThreadIdFunction(llvm::StringRef QualName) const;
  /// Calls that return the number of cores (hardware_concurrency); an entry
  /// `sysconf(_SC_NPROCESSORS_ONLN)` matches only with that first argument.
  bool isCoreCountCall(llvm::StringRef QualName, llvm::StringRef FirstArg = "") const;

  /// Changes whenever a different text is loaded: the incremental cache's
  /// entries are valid only for the rule packs they were made with.
  uint64_t contentHash() const { return ContentHash; }

  const std::vector<BlockingRule> &blockingRules() const { return Blocking; }
  const std::vector<std::string> &packs() const { return Packs; }
  const std::vector<ThreadRule> &threadRules() const { return Threads; }
  const std::vector<JoinRule> &joinRules() const { return Joins; }
  const std::vector<LockRule> &lockRules() const { return Locks; }
  const std::vector<GuardRule> &guardRules() const { return Guards; }
  const std::vector<OnceRule> &onceRules() const { return Onces; }
  const std::vector<CpuHeavyRule> &cpuHeavyRules() const { return CpuHeavy; }

  /// The spelling rules are stored under: template arguments dropped and
  /// inline namespaces removed, so "std::__cxx11::basic_string<char>::find",
  /// "std::__1::mutex::lock" and "std::__atomic_base<int>::store" become
  /// "std::basic_string::find", "std::mutex::lock", "std::__atomic_base::store".
  /// Returns QualName itself when nothing needs changing, else a view of Buf.
  static llvm::StringRef normalizeName(llvm::StringRef QualName,
                                       llvm::SmallVectorImpl<char> &Buf);

private:
  uint64_t ContentHash = 0;
  std::vector<std::string> Packs;
  std::vector<ThreadRule> Threads;
  std::vector<JoinRule> Joins;
  std::vector<LockRule> Locks;
  std::vector<GuardRule> Guards;
  std::vector<OnceRule> Onces;
  std::vector<BlockingRule> Blocking;
  std::vector<CpuHeavyRule> CpuHeavy;
  llvm::StringMap<unsigned> AtomicTypes, SyncTypes, ThreadIdFunctions, CoreCountFunctions;
  // Normalised name -> index into the vectors above; later packs replace.
  llvm::StringMap<unsigned> ThreadFunctionIndex, ThreadConstructorIndex,
      JoinIndex, LockIndex, GuardIndex, OnceIndex, BlockingIndex, CpuHeavyIndex;
  friend struct RuleIndexBuilder;
};

} // namespace threadwise

#endif
