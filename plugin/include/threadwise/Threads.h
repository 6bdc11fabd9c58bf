//===- Threads.h - The thread inventory: what each thread entry does ------===//
//
// `threadwise check --threads` lists every thread the program starts: the
// entry function, where and through which API it is started, how many
// instances may run at once, and whether its work is CPU-bound, I/O-bound
// (blocking calls from the rule packs), mixed or unknown, with the evidence.
// Each entry has a stable id in the fingerprint style (no line numbers), so a
// runtime report can link its measurements to it. docs/usage.md shows the
// text and JSON forms.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_THREADS_H
#define THREADWISE_THREADS_H

#include "threadwise/Finding.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace threadwise {

/// How many times something may run at once: the loops around a spawn (or
/// around the calls leading to it), an OpenMP team's size.
struct InstanceCount {
  enum Kind {
    One,       ///< A single instance (or several, each joined before the next).
    Constant,  ///< N: a loop bounded by a constant, num_threads(N).
    Cores,     ///< N x the core count: hardware_concurrency(), get_nprocs(), ...
    Unbounded, ///< One per item of data: a range-for over a container, a while loop.
    Unknown,   ///< A bound the analysis cannot follow (a parameter, a value read at run time).
  } K = One;
  double N = 1; ///< Constant: the count; Cores: the multiple of the core count.

  static InstanceCount constant(double N) { return {N <= 1 ? One : Constant, N < 1 ? 1 : N}; }
  /// The count when each instance of A runs B instances.
  static InstanceCount times(const InstanceCount &A, const InstanceCount &B);
  /// The larger of two counts (one site reached in several contexts).
  static InstanceCount max(const InstanceCount &A, const InstanceCount &B);
  /// "1", "64", "hardware_concurrency()", "4 x cores", "one per item", "unknown".
  std::string str() const;
  /// "one", "constant", "cores", "unbounded", "unknown" (JSON).
  const char *kindName() const;
};

enum class ThreadClass { CpuBound, IoBound, Mixed, Unknown };
/// "cpu-bound", "io-bound", "mixed", "unknown".
const char *threadClassName(ThreadClass C);

/// Why a thread is classified as it is: a CPU-heavy loop or call, or a call
/// that blocks.
struct ThreadEvidence {
  enum Kind { Cpu, Blocking } K = Cpu;
  std::string What;     ///< "loop: a loop nest 2 deep", "recv (network)".
  std::string Function; ///< The function it is in (the entry or a callee).
  SourcePos Pos;
};

struct ThreadEntryInfo {
  std::string Id;        ///< Stable: entry + spawning function + ordinal, hashed.
  std::string Entry;     ///< Qualified name, "lambda", "OpenMP parallel region".
  SourcePos EntryPos;
  std::string SpawnedBy; ///< The function containing the spawn.
  SourcePos SpawnPos;
  std::string Api;       ///< std::thread, pthread_create, thrd_create, omp parallel, ...
  InstanceCount Instances;
  bool Repeated = false; ///< Started repeatedly, each instance joined before the next.
  ThreadClass Class = ThreadClass::Unknown;
  std::vector<ThreadEvidence> Evidence; ///< CPU evidence first, then blocking calls.
};

/// A table: id, entry, spawn site, API, instances, class, evidence.
void writeThreadsText(llvm::raw_ostream &OS, const std::vector<ThreadEntryInfo> &Threads);
/// `{"version": 1, "tool": ..., "threads": [...]}`.
void writeThreadsJSON(llvm::raw_ostream &OS, const std::vector<ThreadEntryInfo> &Threads,
                      llvm::StringRef ToolVersion);

} // namespace threadwise

#endif
