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
#include "llvm/ADT/STLFunctionalExtras.h"

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

/// How many times Loop runs its body: a constant, a multiple of the core
/// count (the bound comes from a rule pack's core-count-functions, directly or
/// through a local initialised from one), one per item of data (a range-for
/// over a container, a while loop) or unknown. Body is the enclosing
/// function's body, searched for assignments to a bound variable.
InstanceCount loopInstances(TUSummarizer &TU, const clang::Stmt *Loop, const clang::Stmt *Body);
/// The same for a thread count given as an expression (num_threads(E)).
InstanceCount countOf(TUSummarizer &TU, const clang::Expr *E, const clang::Stmt *Body);

/// Target says where a statement's CPU regions and blocking calls go: Out, or
/// the pseudo-function of the OpenMP region the statement runs in.
void collectCpuFacts(TUSummarizer &TU, const clang::FunctionDecl *FD, const clang::Stmt *Body,
                     const CpuFactsRecorder &Held, FunctionSummary &Out,
                     llvm::function_ref<FunctionSummary &(const clang::Stmt *)> Target);

} // namespace threadwise

#endif
