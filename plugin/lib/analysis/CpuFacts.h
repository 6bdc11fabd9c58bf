//===- CpuFacts.h - Per-function CPU work and blocking calls --------------===//
//
// Issue 5 needs, per function, where CPU-heavy work runs and which locks are
// held there, plus the blocking calls that make a thread I/O-bound. The
// summarizer's recording pass notes the lockset per CFG statement; after it,
// collectCpuFacts() walks the body's loops and calls and fills
// FunctionSummary::CpuRegions and FunctionSummary::Blocking.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_ANALYSIS_CPUFACTS_H
#define THREADWISE_ANALYSIS_CPUFACTS_H

#include "Summary.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/DenseMap.h"

namespace threadwise {

class TUSummarizer;

/// The locks held at each statement the recording pass visited.
class CpuFactsRecorder {
public:
  void noteHeld(const clang::Stmt *St, const LockSet &Held) { Held_.try_emplace(St, Held); }
  const LockSet *heldAt(const clang::Stmt *St) const {
    auto It = Held_.find(St);
    return It == Held_.end() ? nullptr : &It->second;
  }

private:
  llvm::DenseMap<const clang::Stmt *, LockSet> Held_;
};

void collectCpuFacts(TUSummarizer &TU, const clang::FunctionDecl *FD, const clang::Stmt *Body,
                     const CpuFactsRecorder &Held, FunctionSummary &Out);

} // namespace threadwise

#endif
