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
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include <optional>
#include <set>

using namespace clang;

namespace threadwise {

namespace {

/// A statement's children, plus the body of an OpenMP region's CapturedStmt,
/// which CapturedStmt::children() leaves out.
llvm::SmallVector<const Stmt *, 8> childrenOf(const Stmt *S) {
  llvm::SmallVector<const Stmt *, 8> Out(S->child_begin(), S->child_end());
  if (const auto *CS = dyn_cast<CapturedStmt>(S))
    Out.push_back(CS->getCapturedStmt());
  return Out;
}

bool isLoop(const Stmt *S) {
  return isa<ForStmt>(S) || isa<WhileStmt>(S) || isa<DoStmt>(S) || isa<CXXForRangeStmt>(S);
}

/// The Python C API (Py*, _Py*) as declared in a system header; the calls
/// that manage the GIL itself or are documented GIL-free are not "API use".
bool isPythonApi(const FunctionDecl *FD, const std::string &Name, const SourceManager &SM) {
  llvm::StringRef N(Name);
  if (!(N.starts_with("Py") || N.starts_with("_Py")))
    return false;
  if (N.starts_with("PyEval_SaveThread") || N.starts_with("PyEval_RestoreThread") ||
      N.starts_with("PyGILState_") || N.starts_with("PyMem_Raw"))
    return false;
  // Declared by Python's headers (often found through -I, so not "system").
  SourceLocation L = SM.getExpansionLoc(FD->getLocation());
  return SM.isInSystemHeader(L) || SM.getFilename(L).contains_insensitive("python");
}

/// Functions named in a PyMethodDef table or a type's slots (PyTypeObject,
/// PyType_Slot, number/sequence/mapping methods, getters/setters): the ones
/// Python calls with the GIL held.
class PythonEntryFinder : public RecursiveASTVisitor<PythonEntryFinder> {
public:
  std::set<const FunctionDecl *> Entries;
  bool VisitInitListExpr(InitListExpr *IL) {
    const RecordDecl *RD = IL->getType()->getAsRecordDecl();
    if (!RD)
      return true;
    llvm::StringRef N = RD->getName();
    if (N == "PyMethodDef" || N == "_typeobject" || N == "PyType_Slot" || N == "PyGetSetDef" ||
        N == "PyNumberMethods" || N == "PySequenceMethods" || N == "PyMappingMethods")
      collect(IL);
    return true;
  }

private:
  void collect(const Stmt *S) {
    if (!S)
      return;
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S))
      if (const auto *FD = dyn_cast<FunctionDecl>(DRE->getDecl()))
        Entries.insert(FD->getCanonicalDecl());
    for (const Stmt *C : S->children())
      collect(C);
  }
};

const std::set<const FunctionDecl *> &pythonEntries(ASTContext &Ctx) {
  // One TU at a time per thread; the key guards against a reused address.
  thread_local const void *Key = nullptr;
  thread_local std::string KeyFile;
  thread_local std::set<const FunctionDecl *> Entries;
  const SourceManager &SM = Ctx.getSourceManager();
  std::string File;
  if (const FileEntry *FE = SM.getFileEntryForID(SM.getMainFileID()))
    File = FE->tryGetRealPathName().str();
  if (Key != Ctx.getTranslationUnitDecl() || KeyFile != File) {
    Key = Ctx.getTranslationUnitDecl();
    KeyFile = File;
    Entries.clear();
    if (Ctx.Idents.find("PyMethodDef") != Ctx.Idents.end()) {
      PythonEntryFinder F;
      F.TraverseDecl(Ctx.getTranslationUnitDecl());
      Entries = std::move(F.Entries);
    }
  }
  return Entries;
}

std::optional<double> constValue(ASTContext &Ctx, const Expr *E) {
  Expr::EvalResult R;
  if (E && !E->isValueDependent() && E->EvaluateAsInt(R, Ctx))
    return static_cast<double>(R.Val.getInt().getExtValue());
  return std::nullopt;
}

/// A loop's trip count when its bounds are constants.
std::optional<double> constTripCount(ASTContext &Ctx, const Stmt *Loop) {
  auto Const = [&](const Expr *E) { return constValue(Ctx, E); };
  if (const auto *RF = dyn_cast<CXXForRangeStmt>(Loop)) {
    if (const Expr *Range = RF->getRangeInit())
      if (const auto *AT = Ctx.getAsConstantArrayType(Range->getType()))
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

struct NestFacts {
  bool Python = false;
  bool Blocking = false;
  std::string HeavyCall; ///< First cpu-heavy API called inside.
  bool Computes = false;
  bool Unbounded = false;
  unsigned Depth = 0;
  double ConstTrips = 1;
};

class Collector {
public:
  Collector(TUSummarizer &TU, const CpuFactsRecorder &Held, FunctionSummary &Out,
            llvm::function_ref<FunctionSummary &(const Stmt *)> Target)
      : TU(TU), Held(Held), Out(Out), Target(Target) {}

  void walk(const Stmt *S, const std::vector<const LockSet *> &Recorded);

private:
  TUSummarizer &TU;
  const CpuFactsRecorder &Held;
  FunctionSummary &Out;
  /// Where a statement's facts go: Out, or an OpenMP region's pseudo-function.
  llvm::function_ref<FunctionSummary &(const Stmt *)> Target;

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
              const Stmt *At) {
    SourceLocation Loc = At->getBeginLoc();
    CpuRegion R;
    R.K = K;
    R.What = std::move(What);
    R.Reason = std::move(Reason);
    R.Locks = Locks;
    R.Pos = TU.pos(Loc);
    R.Order = order(Loc);
    Target(At).CpuRegions.push_back(std::move(R));
  }
};

std::optional<double> Collector::tripCount(const Stmt *Loop) {
  return constTripCount(TU.Ctx, Loop);
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
    if (isPythonApi(Callee, N, TU.Ctx.getSourceManager()))
      F.Python = true;
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
  for (const Stmt *C : childrenOf(S))
    facts(C, F, LoopDepth);
}

const LockSet *Collector::locksAt(const Stmt *S) const {
  if (!S || isa<LambdaExpr>(S))
    return nullptr;
  if (const LockSet *L = Held.heldAt(S))
    return L;
  for (const Stmt *C : childrenOf(S))
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
      B.Order = order(S->getBeginLoc());
      Target(S).Blocking.push_back(std::move(B));
    }
    if (isPythonApi(Callee, N, TU.Ctx.getSourceManager())) {
      BlockingCall B;
      B.Api = N;
      B.Pos = TU.pos(S->getBeginLoc());
      B.Order = order(S->getBeginLoc());
      Out.PythonApiCalls.push_back(std::move(B));
    }
    if (N == "PyEval_SaveThread") {
      GilReleasedRange G;
      G.Begin = order(S->getBeginLoc());
      G.End = ~0u; // Until the PyEval_RestoreThread that follows.
      G.Pos = TU.pos(S->getBeginLoc());
      Out.GilReleased.push_back(std::move(G));
    } else if (N == "PyEval_RestoreThread" && !Out.GilReleased.empty() &&
               Out.GilReleased.back().End == ~0u) {
      Out.GilReleased.back().End = order(S->getBeginLoc());
    }
    if (TU.Rules.cpuHeavy(N)) {
      const LockSet *L = Held.heldAt(S);
      LockSet Locks = L ? *L : LockSet();
      if (!Covered(Locks))
        record(CpuRegion::HeavyCall, N, "calls '" + N + "'", Locks, S);
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
        record(CpuRegion::Loop, "loop", Reason, *L, S);
        Target(S).CpuRegions.back().TouchesPython = F.Python;
        Inner.push_back(L);
      }
    }
  }
  for (const Stmt *C : childrenOf(S))
    walk(C, Inner);
}

} // namespace

void collectCpuFacts(TUSummarizer &TU, const FunctionDecl *FD, const Stmt *Body,
                     const CpuFactsRecorder &Held, FunctionSummary &Out,
                     llvm::function_ref<FunctionSummary &(const Stmt *)> Target) {
  if (!Body)
    return;
  Collector C(TU, Held, Out, Target);
  C.walk(Body, {});
  if (FD && pythonEntries(TU.Ctx).count(FD->getCanonicalDecl()))
    Out.PythonEntry = true;
}

namespace {

/// A call to a core-count function (rule packs) anywhere in E.
bool callsCoreCount(TUSummarizer &TU, const Stmt *S) {
  if (!S)
    return false;
  if (const auto *CE = dyn_cast<CallExpr>(S))
    if (const FunctionDecl *FD = CE->getDirectCallee()) {
      std::string Arg;
      if (CE->getNumArgs() > 0)
        if (const auto *DRE = dyn_cast<DeclRefExpr>(CE->getArg(0)->IgnoreParenImpCasts()))
          Arg = DRE->getDecl()->getNameAsString();
      if (TU.Rules.isCoreCountCall(TU.qualName(FD), Arg))
        return true;
    }
  for (const Stmt *C : S->children())
    if (callsCoreCount(TU, C))
      return true;
  return false;
}

/// True if Body assigns VD after its declaration (`n = ...`, `n++`, `&n`).
bool reassigned(const Stmt *S, const VarDecl *VD) {
  if (!S)
    return false;
  auto Is = [&](const Expr *E) {
    const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    return DRE && DRE->getDecl() == VD;
  };
  if (const auto *BO = dyn_cast<BinaryOperator>(S); BO && BO->isAssignmentOp() && Is(BO->getLHS()))
    return true;
  if (const auto *UO = dyn_cast<UnaryOperator>(S))
    if ((UO->isIncrementDecrementOp() || UO->getOpcode() == UO_AddrOf) && Is(UO->getSubExpr()))
      return true;
  for (const Stmt *C : childrenOf(S))
    if (reassigned(C, VD))
      return true;
  return false;
}

InstanceCount countOfExpr(TUSummarizer &TU, const Expr *E, const Stmt *Body, unsigned Depth) {
  if (!E || Depth > 4)
    return {InstanceCount::Unknown, 1};
  E = E->IgnoreParenImpCasts();
  if (std::optional<double> V = constValue(TU.Ctx, E))
    return InstanceCount::constant(*V);
  if (callsCoreCount(TU, E)) {
    // hardware_concurrency() * k, k * get_nprocs(), hardware_concurrency() / k.
    if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
      std::optional<double> L = constValue(TU.Ctx, BO->getLHS()),
                            R = constValue(TU.Ctx, BO->getRHS());
      if (BO->getOpcode() == BO_Mul && (L || R))
        return {InstanceCount::Cores, L ? *L : *R};
      if (BO->getOpcode() == BO_Div && R && *R > 0)
        return {InstanceCount::Cores, 1 / *R};
    }
    return {InstanceCount::Cores, 1};
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (VD && VD->hasLocalStorage() && !isa<ParmVarDecl>(VD) && VD->getInit()) {
      InstanceCount Init = countOfExpr(TU, VD->getInit(), Body, Depth + 1);
      // `unsigned n = hardware_concurrency(); if (n == 0) n = 4;` is still
      // per core; a constant overwritten later is not a constant.
      if (Init.K == InstanceCount::Cores || !reassigned(Body, VD))
        return Init;
    }
    return {InstanceCount::Unknown, 1};
  }
  // The size of a container or string: one per item.
  if (const auto *CE = dyn_cast<CallExpr>(E))
    if (const FunctionDecl *FD = CE->getDirectCallee()) {
      llvm::StringRef N = FD->getDeclName().isIdentifier() ? FD->getName() : "";
      if ((isa<CXXMethodDecl>(FD) && (N == "size" || N == "length" || N == "count")) ||
          N == "strlen")
        return {InstanceCount::Unbounded, 1};
    }
  return {InstanceCount::Unknown, 1};
}

const VarDecl *loopVar(const Stmt *Loop) {
  const auto *For = dyn_cast<ForStmt>(Loop);
  if (!For)
    return nullptr;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(For->getInit()); DS && DS->isSingleDecl())
    return dyn_cast<VarDecl>(DS->getSingleDecl());
  if (const auto *BO = dyn_cast_or_null<BinaryOperator>(For->getInit()))
    if (const auto *DRE = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
      return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

bool refersTo(const Expr *E, const VarDecl *VD) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  return DRE && VD && DRE->getDecl() == VD;
}

} // namespace

InstanceCount countOf(TUSummarizer &TU, const Expr *E, const Stmt *Body) {
  return countOfExpr(TU, E, Body, 0);
}

InstanceCount loopInstances(TUSummarizer &TU, const Stmt *Loop, const Stmt *Body) {
  if (std::optional<double> N = constTripCount(TU.Ctx, Loop))
    return InstanceCount::constant(*N);
  if (const auto *RF = dyn_cast<CXXForRangeStmt>(Loop)) {
    // A container of thread handles was sized elsewhere (`ts(n)`, resize):
    // follow a size given at its declaration, else the count is unknown. Any
    // other container: one per item.
    const Expr *Range = RF->getRangeInit() ? RF->getRangeInit()->IgnoreParenImpCasts() : nullptr;
    std::string Elem = RF->getLoopVariable()->getType().getNonReferenceType()
                           .getUnqualifiedType().getAsString();
    if (!llvm::StringRef(Elem).contains_insensitive("thread") && Elem != "thrd_t")
      return {InstanceCount::Unbounded, 1};
    if (const auto *DRE = dyn_cast_or_null<DeclRefExpr>(Range))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        if (const auto *CE = dyn_cast_or_null<CXXConstructExpr>(
                VD->getInit() ? VD->getInit()->IgnoreImplicit() : nullptr);
            CE && CE->getNumArgs() >= 1 && CE->getArg(0)->getType()->isIntegerType())
          return countOf(TU, CE->getArg(0), Body);
    return {InstanceCount::Unknown, 1};
  }
  const Expr *Cond = nullptr;
  if (const auto *For = dyn_cast<ForStmt>(Loop))
    Cond = For->getCond();
  else if (const auto *W = dyn_cast<WhileStmt>(Loop))
    Cond = W->getCond();
  else if (const auto *D = dyn_cast<DoStmt>(Loop))
    Cond = D->getCond();
  const auto *BO = dyn_cast_or_null<BinaryOperator>(Cond ? Cond->IgnoreParenImpCasts() : nullptr);
  if (!BO || !BO->isRelationalOp())
    return {InstanceCount::Unbounded, 1}; // for (;;), while (next(&item)), while (running)
  const VarDecl *Var = loopVar(Loop);
  const Expr *Bound = BO->getRHS();
  if (refersTo(BO->getRHS(), Var) || (!Var && !isa<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts())))
    Bound = BO->getLHS();
  InstanceCount C = countOf(TU, Bound, Body);
  if (C.K == InstanceCount::Constant || C.K == InstanceCount::One) {
    // `for (int k = 0; k < n; k++)` with `int n = 128;`: from a constant start.
    std::optional<double> Start;
    if (const auto *For = dyn_cast<ForStmt>(Loop); For && Var && Var->getInit() &&
                                                   For->getInit() && isa<DeclStmt>(For->getInit()))
      Start = constValue(TU.Ctx, Var->getInit());
    if (!Start)
      return {InstanceCount::Unknown, 1}; // A while loop counting up, a start we cannot follow.
    return InstanceCount::constant(C.N > *Start ? C.N - *Start : *Start - C.N);
  }
  return C;
}

} // namespace threadwise
