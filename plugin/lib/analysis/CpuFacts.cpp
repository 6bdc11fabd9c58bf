//===- CpuFacts.cpp - Heavy loops, cpu-heavy calls and blocking calls -----===//
//
// A loop nest is CPU-heavy when nothing in it blocks (no `blocking:` call from
// the rule packs) and either
//   - it calls a `cpu-heavy:` API, or
//   - its constant trip counts multiply to more than 1000, or
//   - some loop in it has a trip count we cannot bound (`i < n`, `while`,
//     a range-for over a container) and the nest is at least two deep or its
//     body computes (`*`, `/`, `%` or floating-point arithmetic).
// A single unbounded loop that only copies or adds (`merged.push_back(x)`,
// `total += part[i]`) is the short "merge under the lock" the fix recommends,
// so it is not heavy. Spin loops (`while (!ready)`) compute nothing: not heavy.
//
//===----------------------------------------------------------------------===//
#include "CpuFacts.h"
#include "Summarizer.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include <optional>

using namespace clang;

namespace threadwise {

namespace {

bool isLoop(const Stmt *S) {
  return isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<CXXForRangeStmt>(S);
}

struct NestFacts {
  bool Blocking = false;
  std::string HeavyCall; ///< First cpu-heavy API called inside.
  bool Computes = false;
  bool Unbounded = false;
  unsigned Depth = 0;
  double ConstTrips = 1;
};

class Collector {
public:
  Collector(TUSummarizer &TU, const CpuFactsRecorder &Held, FunctionSummary &Out)
      : TU(TU), Held(Held), Out(Out) {}

  void walk(const Stmt *S, const std::vector<const LockSet *> &Recorded);

private:
  TUSummarizer &TU;
  const CpuFactsRecorder &Held;
  FunctionSummary &Out;

  const FunctionDecl *calleeOf(const Stmt *S) const {
    if (const auto *CE = dyn_cast<CallExpr>(S))
      return CE->getDirectCallee();
    return nullptr;
  }
  std::string nameOf(const FunctionDecl *FD) { return TU.qualName(FD); }
  std::optional<double> tripCount(const Stmt *Loop);
  void facts(const Stmt *S, NestFacts &F, unsigned LoopDepth);
  const LockSet *locksAt(const Stmt *S) const;
  unsigned order(SourceLocation L) const {
    const SourceManager &SM = TU.Ctx.getSourceManager();
    return SM.getFileOffset(SM.getFileLoc(L));
  }
  void record(CpuRegion::Kind K, std::string What, std::string Reason, const LockSet &Locks,
              SourceLocation Loc) {
    CpuRegion R;
    R.K = K;
    R.What = std::move(What);
    R.Reason = std::move(Reason);
    R.Locks = Locks;
    R.Pos = TU.pos(Loc);
    R.Order = order(Loc);
    Out.CpuRegions.push_back(std::move(R));
  }
};

std::optional<double> Collector::tripCount(const Stmt *Loop) {
  auto Const = [&](const Expr *E) -> std::optional<double> {
    Expr::EvalResult R;
    if (E && !E->isValueDependent() && E->EvaluateAsInt(R, TU.Ctx))
      return static_cast<double>(R.Val.getInt().getExtValue());
    return std::nullopt;
  };
  if (const auto *RF = dyn_cast<CXXForRangeStmt>(Loop)) {
    if (const Expr *Range = RF->getRangeInit())
      if (const auto *AT = TU.Ctx.getAsConstantArrayType(Range->getType()))
        return static_cast<double>(AT->getSize().getZExtValue());
    return std::nullopt;
  }
  const auto *For = dyn_cast<ForStmt>(Loop);
  if (!For)
    return std::nullopt; // while / do: unbounded as far as we know.
  const auto *Cond = dyn_cast_or_null<BinaryOperator>(For->getCond()
                                                          ? For->getCond()->IgnoreParenImpCasts()
                                                          : nullptr);
  if (!Cond || !Cond->isComparisonOp())
    return std::nullopt;
  std::optional<double> Bound = Const(Cond->getRHS());
  if (!Bound)
    Bound = Const(Cond->getLHS());
  if (!Bound)
    return std::nullopt;
  // Start value: `int i = 0` or `i = 0`.
  std::optional<double> Start;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(For->getInit())) {
    if (DS->isSingleDecl())
      if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()))
        Start = Const(VD->getInit());
  } else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(For->getInit())) {
    if (BO->isAssignmentOp())
      Start = Const(BO->getRHS());
  }
  if (!Start)
    return std::nullopt;
  return *Bound > *Start ? *Bound - *Start : *Start - *Bound;
}

void Collector::facts(const Stmt *S, NestFacts &F, unsigned LoopDepth) {
  if (!S || isa<LambdaExpr>(S))
    return;
  if (isLoop(S)) {
    ++LoopDepth;
    F.Depth = std::max(F.Depth, LoopDepth);
    if (std::optional<double> N = tripCount(S))
      F.ConstTrips *= std::max(1.0, *N);
    else
      F.Unbounded = true;
  }
  if (const FunctionDecl *Callee = calleeOf(S)) {
    std::string N = nameOf(Callee);
    if (TU.Rules.blocking(N))
      F.Blocking = true;
    if (F.HeavyCall.empty() && TU.Rules.cpuHeavy(N))
      F.HeavyCall = N;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    BinaryOperatorKind K = BO->getOpcode();
    if (K == BO_Mul || K == BO_Div || K == BO_Rem || K == BO_MulAssign || K == BO_DivAssign ||
        K == BO_RemAssign || K == BO_Xor || K == BO_XorAssign || K == BO_Shl || K == BO_Shr)
      F.Computes = true;
    if (BO->isAdditiveOp() || BO->isCompoundAssignmentOp())
      if (BO->getType()->isRealFloatingType())
        F.Computes = true;
  }
  for (const Stmt *C : S->children())
    facts(C, F, LoopDepth);
}

const LockSet *Collector::locksAt(const Stmt *S) const {
  if (!S || isa<LambdaExpr>(S))
    return nullptr;
  if (const LockSet *L = Held.heldAt(S))
    return L;
  for (const Stmt *C : S->children())
    if (const LockSet *L = locksAt(C))
      return L;
  return nullptr;
}

void Collector::walk(const Stmt *S, const std::vector<const LockSet *> &Recorded) {
  if (!S || isa<LambdaExpr>(S))
    return;
  auto Covered = [&](const LockSet &L) {
    for (const LockSet *R : Recorded) {
      bool Subset = true;
      for (const auto &[K, Sh] : L)
        if (!R->count(K))
          Subset = false;
      if (Subset)
        return true;
    }
    return false;
  };
  if (const FunctionDecl *Callee = calleeOf(S)) {
    std::string N = nameOf(Callee);
    if (TU.Rules.blocking(N)) {
      BlockingCall B;
      B.Api = N;
      B.Pos = TU.pos(S->getBeginLoc());
      Out.Blocking.push_back(std::move(B));
    }
    if (TU.Rules.cpuHeavy(N)) {
      const LockSet *L = Held.heldAt(S);
      LockSet Locks = L ? *L : LockSet();
      if (!Covered(Locks))
        record(CpuRegion::HeavyCall, N, "calls '" + N + "'", Locks, S->getBeginLoc());
    }
  }
  std::vector<const LockSet *> Inner = Recorded;
  if (isLoop(S)) {
    NestFacts F;
    facts(S, F, 0);
    std::string Reason;
    if (!F.Blocking) {
      if (!F.HeavyCall.empty())
        Reason = "calls '" + F.HeavyCall + "' in a loop";
      else if (!F.Unbounded && F.ConstTrips > 1000)
        Reason = "runs " + std::to_string(static_cast<long long>(F.ConstTrips)) + " iterations";
      else if (F.Unbounded && F.Depth >= 2)
        Reason = "is a loop nest " + std::to_string(F.Depth) + " deep";
      else if (F.Unbounded && F.Computes)
        Reason = "computes in an unbounded loop";
    }
    const Stmt *Probe = S;
    if (const auto *For = dyn_cast<ForStmt>(S); For && For->getCond())
      Probe = For->getCond();
    else if (const auto *W = dyn_cast<WhileStmt>(S); W && W->getCond())
      Probe = W->getCond();
    const LockSet *L = locksAt(Probe);
    if (!L)
      L = locksAt(S);
    if (!Reason.empty() && L) {
      if (!Covered(*L)) {
        record(CpuRegion::Loop, "loop", Reason, *L, S->getBeginLoc());
        Inner.push_back(L);
      }
    }
  }
  for (const Stmt *C : S->children())
    walk(C, Inner);
}

} // namespace

void collectCpuFacts(TUSummarizer &TU, const FunctionDecl *FD, const Stmt *Body,
                     const CpuFactsRecorder &Held, FunctionSummary &Out) {
  (void)FD;
  if (!Body)
    return;
  Collector C(TU, Held, Out);
  C.walk(Body, {});
}

} // namespace threadwise
