//===- CheckProfile.h - Where `threadwise check` spends its time ----------===//
//
// --enable-check-profile, like clang-tidy's: wall time per analysis phase
// (parse, summarise, cache, link, each check, filters, output). Phases that
// run once per TU are summed over TUs, so with -j N they can add up to more
// than the run's elapsed time.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CHECKPROFILE_H
#define THREADWISE_CHECKPROFILE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace threadwise {

class CheckProfile {
public:
  /// Adds Seconds to Phase (created on first use, in that order). Thread-safe.
  void add(llvm::StringRef Phase, double Seconds, unsigned Count = 1);
  double seconds(llvm::StringRef Phase) const;
  unsigned count(llvm::StringRef Phase) const;

  /// Times a scope into a phase; a null profile times nothing.
  class Scope {
  public:
    Scope(CheckProfile *P, std::string Phase) : P(P), Phase(std::move(Phase)) {}
    ~Scope() {
      if (P)
        P->add(Phase, std::chrono::duration<double>(Clock::now() - Start).count());
    }

  private:
    using Clock = std::chrono::steady_clock;
    CheckProfile *P;
    std::string Phase;
    Clock::time_point Start = Clock::now();
  };

  /// clang-tidy's layout: a header, the total, then one line per phase.
  void print(llvm::raw_ostream &OS, double ElapsedSeconds) const;
  /// {"elapsed": s, "phases": [{"name", "seconds", "count"}]}.
  void writeJSON(llvm::raw_ostream &OS, double ElapsedSeconds) const;

private:
  struct Entry {
    std::string Name;
    double Seconds = 0;
    unsigned Count = 0;
  };
  mutable std::mutex M;
  std::vector<Entry> Entries;
};

/// Wall time this process spent summarising TUs (step 1 after parsing), over
/// all threads: `threadwise check` subtracts it from each TU's time to tell
/// parsing from summarising.
double summarizeSecondsTotal();

} // namespace threadwise

#endif
