//===- Summarizer.cpp - Step 1: flow-sensitive facts for each function ----===//
//
// For each function a forward dataflow over Clang's CFG tracks
//   - the locks that must be held (intersection at joins), including RAII
//     guards, unique_lock unlock()/lock()/moves and try-lock branches;
//   - the threads this function started that may still run (union at joins),
//     killed by join() / pthread_join / a jthread's destructor;
//   - the OpenMP barrier phase.
// A second pass over the fixpoint records accesses, calls and spawns with the
// state in force at each. OpenMP region bodies, which Clang's CFG inlines into
// the enclosing function, are recorded into a pseudo-function per region that
// the parent "spawns" as a team and joins at the end of the region.
//
//===----------------------------------------------------------------------===//
#include "Summarizer.h"
#include "CpuFacts.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMap.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtOpenMP.h"
#include "clang/Analysis/CFG.h"
#include "clang/Basic/OpenMPKinds.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/Path.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/SaveAndRestore.h"
#include <optional>
#include <set>

using namespace clang;

namespace threadwise {

//===----------------------------------------------------------------------===//
// Path strings
//===----------------------------------------------------------------------===//

llvm::StringRef paths::root(llvm::StringRef Path) { return Path.split('|').first; }

bool paths::isBindable(llvm::StringRef Path) {
  return Path.starts_with("T:") || (Path.starts_with("P") && Path.contains(':') &&
                                    root(Path).ends_with(":") && Path.size() > 1 &&
                                    isdigit(static_cast<unsigned char>(Path[1])));
}

std::string paths::substitute(llvm::StringRef Path, const std::vector<std::string> &Args,
                              const std::string &This, bool *FromArg, unsigned *ArgIndex) {
  if (FromArg)
    *FromArg = false;
  if (!isBindable(Path))
    return Path.str();
  auto [Root, Rest] = Path.split('|');
  std::string Bound;
  if (Root == "T:") {
    Bound = This;
  } else {
    unsigned I = 0;
    if (Root.drop_front().drop_back().getAsInteger(10, I))
      return "";
    if (I < Args.size())
      Bound = Args[I];
    if (FromArg)
      *FromArg = true;
    if (ArgIndex)
      *ArgIndex = I;
  }
  if (Bound.empty() || Bound.rfind("F:", 0) == 0)
    return Bound.empty() ? "" : (Rest.empty() ? Bound : "");
  return Rest.empty() ? Bound : Bound + "|" + Rest.str();
}

//===----------------------------------------------------------------------===//
// TU-level helpers
//===----------------------------------------------------------------------===//

const std::string &TUSummarizer::keyOf(const Decl *D) {
  D = D->getCanonicalDecl();
  auto It = Keys.find(D);
  if (It != Keys.end())
    return It->second;
  llvm::SmallString<128> USR;
  std::string K;
  if (!index::generateUSRForDecl(D, USR))
    K = USR.str().str();
  else
    K = "decl@" + std::to_string(D->getBeginLoc().getRawEncoding());
  return Keys[D] = K;
}

const std::string &TUSummarizer::qualName(const NamedDecl *D) {
  auto It = Names.find(D);
  if (It != Names.end())
    return It->second;
  std::string N;
  if (const auto *FD = dyn_cast<FunctionDecl>(D)) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->getParent()->isLambda())
      N = "lambda";
  }
  if (N.empty())
    N = D->getQualifiedNameAsString();
  return Names[D] = N;
}

std::string TUSummarizer::className(const QualType &T) {
  const Type *Ty = T.getNonReferenceType()->getUnqualifiedDesugaredType();
  if (const auto *PT = Ty->getAs<PointerType>())
    Ty = PT->getPointeeType()->getUnqualifiedDesugaredType();
  if (const auto *RD = Ty->getAsRecordDecl())
    return qualName(RD);
  if (const auto *ET = Ty->getAs<EnumType>())
    return qualName(ET->getDecl());
  if (const auto *TST = Ty->getAs<TemplateSpecializationType>())
    if (auto *TD = TST->getTemplateName().getAsTemplateDecl())
      return qualName(TD);
  return "";
}

SourcePos TUSummarizer::pos(SourceLocation Loc) {
  SourcePos P;
  const SourceManager &SM = Ctx.getSourceManager();
  Loc = SM.getFileLoc(Loc);
  if (Loc.isInvalid())
    return P;
  auto [FID, Offset] = SM.getDecomposedLoc(Loc);
  auto It = FileNames.find(FID);
  if (It == FileNames.end()) {
    std::string Name;
    if (auto FE = SM.getFileEntryRefForID(FID)) {
      llvm::SmallString<256> Abs(FE->getName());
      SM.getFileManager().makeAbsolutePath(Abs);
      // ".." cannot be dropped textually: GCC's include dirs such as
      // /usr/lib/gcc/x86_64-linux-gnu/12/../../../../include reach /usr/include
      // only through the /lib symlink. Resolve those; keep other paths as the
      // compile database spells them.
      if (llvm::is_contained(llvm::make_range(llvm::sys::path::begin(Abs),
                                              llvm::sys::path::end(Abs)),
                             ".."))
        Name = SM.getFileManager().getCanonicalName(*FE).str();
      else {
        llvm::sys::path::remove_dots(Abs);
        Name = Abs.str().str();
      }
    }
    It = FileNames.insert({FID, Name}).first;
  }
  P.File = It->second;
  P.Line = SM.getLineNumber(FID, Offset);
  P.Column = SM.getColumnNumber(FID, Offset);
  P.Offset = Offset;
  return P;
}

bool TUSummarizer::isSystem(const Decl *D) {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation L = SM.getExpansionLoc(D->getLocation());
  return L.isInvalid() || SM.isInSystemHeader(L);
}

/// [[clang::annotate("threadwise::benign_race")]] on any declaration.
static bool isBenignRace(const Decl *D) {
  for (const Decl *R : D->redecls())
    for (const auto *A : R->specific_attrs<AnnotateAttr>())
      if (A->getAnnotation() == "threadwise::benign_race")
        return true;
  return false;
}

void TUSummarizer::noteVariable(const VarDecl *VD, const std::string &Key) {
  if (Out.Variables.count(Key))
    return;
  VariableInfo &V = Out.Variables[Key];
  V.Name = VD->isStaticLocal() ? VD->getNameAsString() : qualName(VD);
  V.Pos = pos(VD->getLocation());
  V.Benign = isBenignRace(VD);
  QualType T = VD->getType();
  // A fix-it to an atomic type: scalar integers and flags defined here.
  if (VD->isThisDeclarationADefinition() != VarDecl::DeclarationOnly && !isSystem(VD) &&
      (T->isIntegerType() || T->isBooleanType()) && !T.isVolatileQualified() &&
      !T->isAtomicType() && !VD->getType().isConstQualified()) {
    if (TypeSourceInfo *TSI = VD->getTypeSourceInfo()) {
      SourceRange R = TSI->getTypeLoc().getSourceRange();
      const SourceManager &SM = Ctx.getSourceManager();
      if (R.isValid() && R.getBegin().isFileID() && R.getEnd().isFileID()) {
        CharSourceRange CR = CharSourceRange::getTokenRange(R);
        unsigned Begin = SM.getFileOffset(CR.getBegin());
        unsigned End = SM.getFileOffset(
            Lexer::getLocForEndOfToken(CR.getEnd(), 0, SM, Ctx.getLangOpts()));
        if (End > Begin && SM.getFileID(CR.getBegin()) == SM.getFileID(CR.getEnd())) {
          std::string TypeText = T.getUnqualifiedType().getAsString(Ctx.getPrintingPolicy());
          V.ScalarFixable = true;
          V.AtomicFix.Pos = pos(R.getBegin());
          V.AtomicFix.File = V.AtomicFix.Pos.File;
          V.AtomicFix.Offset = Begin;
          V.AtomicFix.Length = End - Begin;
          V.AtomicFix.Replacement = Ctx.getLangOpts().CPlusPlus
                                        ? "std::atomic<" + TypeText + ">"
                                        : "_Atomic " + TypeText;
        }
      }
    }
  }
  if (const auto *G = VD->getAttr<GuardedByAttr>())
    (void)G; // Resolved lazily by the function that sees the access.
}

void TUSummarizer::noteField(const FieldDecl *FD, const std::string &Key) {
  if (Out.Variables.count(Key))
    return;
  VariableInfo &V = Out.Variables[Key];
  V.Name = qualName(FD->getParent()) + "::" + FD->getNameAsString();
  V.Pos = pos(FD->getLocation());
  V.Benign = isBenignRace(FD);
}

//===----------------------------------------------------------------------===//
// Function summarizer
//===----------------------------------------------------------------------===//

namespace {

struct GuardState {
  std::vector<std::string> Locks;
  bool Shared = false;
  bool Owns = false;
  bool operator==(const GuardState &O) const {
    return Locks == O.Locks && Shared == O.Shared && Owns == O.Owns;
  }
};

struct FlowState {
  bool Reached = false;
  LockSet Held;                                       // must
  std::map<const ValueDecl *, GuardState> Guards;     // must
  std::set<unsigned> Live;                            // may
  std::map<const ValueDecl *, std::set<unsigned>> Handles; // may
  std::set<std::string> Released; // may: released here without being taken here
  unsigned OmpPhase = 0;

  bool operator==(const FlowState &O) const {
    return Reached == O.Reached && Held == O.Held && Guards == O.Guards && Live == O.Live &&
           Handles == O.Handles && Released == O.Released && OmpPhase == O.OmpPhase;
  }

  void join(const FlowState &O) {
    if (!O.Reached)
      return;
    if (!Reached) {
      *this = O;
      return;
    }
    for (auto It = Held.begin(); It != Held.end();) {
      auto Other = O.Held.find(It->first);
      if (Other == O.Held.end()) {
        It = Held.erase(It);
      } else {
        It->second = It->second || Other->second; // shared if shared anywhere
        ++It;
      }
    }
    for (auto It = Guards.begin(); It != Guards.end();) {
      auto Other = O.Guards.find(It->first);
      if (Other == O.Guards.end() || !(Other->second == It->second)) {
        // Disagreeing paths: keep the association, but not the ownership.
        if (Other != O.Guards.end() && Other->second.Locks == It->second.Locks) {
          It->second.Owns = false;
          ++It;
        } else {
          It = Guards.erase(It);
        }
      } else {
        ++It;
      }
    }
    Live.insert(O.Live.begin(), O.Live.end());
    for (auto &[D, S] : O.Handles)
      Handles[D].insert(S.begin(), S.end());
    Released.insert(O.Released.begin(), O.Released.end());
    OmpPhase = std::max(OmpPhase, O.OmpPhase);
  }
};

/// The lexical OpenMP context of a statement.
struct OmpNode {
  const OMPExecutableDirective *D = nullptr;
  const OmpNode *Parent = nullptr;
  unsigned RegionIndex = 0; // for parallel/teams nodes
  unsigned OnceId = 0;
  std::set<const VarDecl *> Private;
  std::set<const VarDecl *> LoopVars;
  bool isRegion() const {
    return isOpenMPParallelDirective(D->getDirectiveKind()) ||
           isOpenMPTeamsDirective(D->getDirectiveKind());
  }
};

struct ExprPath {
  std::string Str;
  bool Atomic = false;
  IndexTag Tag;
};

class FunctionSummarizer {
public:
  FunctionSummarizer(TUSummarizer &TU, const FunctionDecl *FD, FunctionSummary &S)
      : TU(TU), FD(FD), Body(FD->getBody()), S(S), PM(Body) {
    Lambda = isa<CXXMethodDecl>(FD) && cast<CXXMethodDecl>(FD)->getParent()->isLambda();
  }

  void run();

private:
  TUSummarizer &TU;
  const FunctionDecl *FD;
  Stmt *Body;
  FunctionSummary &S;
  ParentMap PM;
  bool Lambda = false;
  std::unique_ptr<CFG> Cfg;
  CpuFactsRecorder CpuHeld; // Locks held per statement, for CpuFacts.cpp.

  // Pre-pass facts (flow-insensitive).
  llvm::DenseMap<const VarDecl *, std::string> PointerAlias; // local ptr/ref -> pointee path
  std::set<const VarDecl *> AliasConflict;
  llvm::DenseMap<const VarDecl *, std::string> ValueFromParam; // local = (T)param
  std::set<const VarDecl *> ThreadIdVars, Escaping, ByCopyCaptures;
  llvm::DenseMap<const VarDecl *, const VarDecl *> RangeLoopContainer;
  /// Loops that join every thread of a container (`for (auto &t : ts) t.join()`):
  /// on the loop's exit edge all of them are joined.
  std::map<const Stmt *, std::set<const ValueDecl *>> LoopJoins;
  std::set<const ValueDecl *> JoinedParams; // `void wait(std::thread &t) { t.join(); }`
  std::vector<std::unique_ptr<OmpNode>> OmpNodes;
  llvm::DenseMap<const Stmt *, const OmpNode *> StmtOmp;
  std::vector<FunctionSummary *> Regions;
  llvm::DenseMap<unsigned, LockSet> RegionEntryLocks;

  // Spawn bookkeeping.
  llvm::DenseMap<const Stmt *, unsigned> SpawnIds;
  struct SpawnMeta {
    const ThreadRule *Rule = nullptr;
  };
  std::map<unsigned, SpawnMeta> SpawnInfo;
  unsigned NextOnce = 1;
  bool Recording = false;
  /// Bindings (this, arguments) name private locals too: the callee may
  /// hand them to a thread.
  bool IgnoreEscape = false;

  void prepass();
  void walkOmp(const Stmt *St, const OmpNode *Cur);
  void computeEscapes();

  void transferBlock(const CFGBlock *B, FlowState &St);
  void element(const CFGElement &E, FlowState &St);
  void statement(const Stmt *St, FlowState &State);
  void edge(const CFGBlock *B, unsigned SuccIndex, FlowState &St);

  // Paths.
  std::optional<ExprPath> pathOf(const Expr *E);
  std::optional<ExprPath> pointeeOf(const Expr *E);
  std::optional<ExprPath> varPath(const VarDecl *VD);
  std::string localKey(const VarDecl *VD);
  IndexTag indexTag(const Expr *Idx);
  bool isAtomicType(QualType T);
  bool isSyncType(QualType T);
  std::string lockPath(const Expr *E, bool IsPointer);

  // Events.
  const OmpNode *ompOf(const Stmt *St) const;
  const OmpNode *regionOf(const OmpNode *N) const;
  FunctionSummary &target(const Stmt *St);
  LockSet locksFor(const Stmt *St, const FlowState &State);
  void access(const Expr *E, bool IsWrite, const FlowState &State, bool ForceAtomic = false);
  void handleCall(const CallExpr *CE, FlowState &State);
  void handleConstruct(const CXXConstructExpr *CE, FlowState &State);
  void libraryCall(const FunctionDecl *Callee, const Expr *Object,
                   llvm::ArrayRef<const Expr *> Args, const FlowState &State, const Stmt *At);
  void userCall(const FunctionDecl *Callee, const Expr *Object, bool ObjectIsPointer,
                llvm::ArrayRef<const Expr *> Args, const FlowState &State, const Stmt *At,
                FlowState *Mutable, const std::string &ExtraLock = "");
  void spawn(const ThreadRule &R, const Stmt *At, const Expr *Entry,
             llvm::ArrayRef<const Expr *> Forwarded, const Expr *Param, const ValueDecl *Handle,
             FlowState &State);
  void join(const ValueDecl *Handle, FlowState &State);
  void acquire(const std::string &Lock, bool Shared, FlowState &State);
  void release(const std::string &Lock, FlowState &State);
  void applyCalleeLockEffects(const FunctionDecl *Callee, const std::vector<std::string> &Args,
                              const std::string &This, FlowState &State);

  const ValueDecl *handleVar(const Expr *E);
  const ValueDecl *boundVar(const Stmt *St);
  const Stmt *innermostLoop(const Stmt *St) const;
  /// How many times the loops around St run it (CpuFacts.cpp counts each).
  InstanceCount repeatAround(const Stmt *St);
  bool distinctPerIteration(const Expr *Arg, const Stmt *Loop);
  std::string bindingFor(QualType ParamType, const Expr *Arg);
  unsigned spawnId(const Stmt *St);
  unsigned order(const Stmt *St) const {
    return TU.Ctx.getSourceManager().getFileOffset(
        TU.Ctx.getSourceManager().getFileLoc(St->getBeginLoc()));
  }
};

const Expr *strip(const Expr *E) {
  while (true) {
    E = E->IgnoreParens();
    if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E)) {
      E = ICE->getSubExpr();
      continue;
    }
    if (const auto *CE = dyn_cast<ExplicitCastExpr>(E)) {
      E = CE->getSubExpr();
      continue;
    }
    if (const auto *M = dyn_cast<MaterializeTemporaryExpr>(E)) {
      E = M->getSubExpr();
      continue;
    }
    if (const auto *B = dyn_cast<CXXBindTemporaryExpr>(E)) {
      E = B->getSubExpr();
      continue;
    }
    if (const auto *F = dyn_cast<FullExpr>(E)) {
      E = F->getSubExpr();
      continue;
    }
    return E;
  }
}

/// Unwraps std::ref/std::cref/std::move and single-argument copies.
const Expr *unwrapRef(const Expr *E, bool *IsRef = nullptr) {
  E = strip(E);
  if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
    if (CE->getNumArgs() == 1 && CE->getConstructor()->isCopyOrMoveConstructor())
      return unwrapRef(CE->getArg(0), IsRef);
  }
  if (const auto *Call = dyn_cast<CallExpr>(E)) {
    if (const auto *Callee = Call->getDirectCallee()) {
      std::string N = Callee->getQualifiedNameAsString();
      if ((N == "std::ref" || N == "std::cref") && Call->getNumArgs() == 1) {
        if (IsRef)
          *IsRef = true;
        return strip(Call->getArg(0));
      }
      if ((N == "std::move" || N == "std::forward") && Call->getNumArgs() == 1)
        return unwrapRef(Call->getArg(0), IsRef);
    }
  }
  return E;
}

void FunctionSummarizer::run() {
  S.Key = TU.keyOf(FD);
  S.Name = TU.qualName(FD);
  S.Pos = TU.pos(FD->getLocation());
  S.IsMain = FD->isMain();
  // REQUIRES(...) are facts: the locks are held on entry.
  for (const auto *A : FD->specific_attrs<RequiresCapabilityAttr>())
    for (const Expr *Arg : A->args())
      if (std::string L = lockPath(Arg, Arg->getType()->isPointerType()); !L.empty())
        S.RequiredLocks[L] = A->isShared();

  prepass();

  CFG::BuildOptions BO;
  BO.AddImplicitDtors = true;
  BO.AddTemporaryDtors = true;
  BO.AddInitializers = false;
  BO.setAllAlwaysAdd();
  Cfg = CFG::buildCFG(FD, Body, &TU.Ctx, BO);
  if (!Cfg)
    return;

  // Forward dataflow to a fixpoint, then one recording pass.
  std::vector<FlowState> In(Cfg->getNumBlockIDs()), Out(Cfg->getNumBlockIDs());
  std::vector<std::vector<FlowState>> EdgeOut(Cfg->getNumBlockIDs());
  const CFGBlock &Entry = Cfg->getEntry();
  FlowState Init;
  Init.Reached = true;
  Init.Held = S.RequiredLocks;

  auto ComputeIn = [&](const CFGBlock *B) {
    FlowState St;
    if (B == &Entry)
      St = Init;
    unsigned Id = B->getBlockID();
    (void)Id;
    for (auto PI = B->pred_begin(); PI != B->pred_end(); ++PI) {
      const CFGBlock *P = *PI;
      if (!P)
        continue;
      unsigned SuccIdx = 0;
      for (auto SI = P->succ_begin(); SI != P->succ_end(); ++SI, ++SuccIdx)
        if (*SI == B)
          break;
      const auto &Edges = EdgeOut[P->getBlockID()];
      St.join(SuccIdx < Edges.size() ? Edges[SuccIdx] : Out[P->getBlockID()]);
    }
    return St;
  };

  bool Changed = true;
  for (unsigned Round = 0; Changed && Round < 64; ++Round) {
    Changed = false;
    for (auto It = Cfg->rbegin(); It != Cfg->rend(); ++It) {
      const CFGBlock *B = *It;
      FlowState St = ComputeIn(B);
      if (!St.Reached)
        continue;
      In[B->getBlockID()] = St;
      transferBlock(B, St);
      std::vector<FlowState> Edges;
      for (unsigned I = 0; I < B->succ_size(); ++I) {
        FlowState E = St;
        edge(B, I, E);
        Edges.push_back(std::move(E));
      }
      if (!(St == Out[B->getBlockID()]) || Edges.size() != EdgeOut[B->getBlockID()].size() ||
          !std::equal(Edges.begin(), Edges.end(), EdgeOut[B->getBlockID()].begin())) {
        Out[B->getBlockID()] = St;
        EdgeOut[B->getBlockID()] = std::move(Edges);
        Changed = true;
      }
    }
  }

  Recording = true;
  RegionEntryLocks.clear();
  for (auto It = Cfg->rbegin(); It != Cfg->rend(); ++It) {
    const CFGBlock *B = *It;
    FlowState St = In[B->getBlockID()];
    if (!St.Reached)
      continue;
    transferBlock(B, St);
  }
  Recording = false;
  collectCpuFacts(TU, FD, Body, CpuHeld, S,
                  [this](const Stmt *St) -> FunctionSummary & { return target(St); });

  // Threads still running at the exit escape to the caller.
  const FlowState &AtExit = In[Cfg->getExit().getBlockID()];
  for (SpawnEvent &Sp : S.Spawns)
    if (AtExit.Live.count(Sp.Id))
      Sp.Escapes = true;
  // Lock wrappers: locks acquired and still held / released on return.
  if (AtExit.Reached) {
    for (auto &[L, Shared] : AtExit.Held)
      if (!S.RequiredLocks.count(L))
        S.AcquiredOnExit[L] = Shared;
    for (auto &[L, Shared] : S.RequiredLocks)
      if (!AtExit.Held.count(L))
        S.ReleasedOnExit.push_back(L);
    for (const std::string &L : AtExit.Released)
      if (!S.RequiredLocks.count(L))
        S.ReleasedOnExit.push_back(L);
    for (const ValueDecl *H : JoinedParams)
      if (const auto *PV = dyn_cast<ParmVarDecl>(H))
        S.JoinsParams.push_back(PV->getFunctionScopeIndex());
  }
  for (const auto *A : FD->specific_attrs<AcquireCapabilityAttr>()) {
    for (const Expr *Arg : A->args())
      if (std::string L = lockPath(Arg, Arg->getType()->isPointerType()); !L.empty())
        S.AcquiredOnExit[L] = A->isShared();
    if (A->args_size() == 0 && isa<CXXMethodDecl>(FD))
      S.AcquiredOnExit["T:"] = A->isShared();
  }
  for (const auto *A : FD->specific_attrs<ReleaseCapabilityAttr>()) {
    for (const Expr *Arg : A->args())
      if (std::string L = lockPath(Arg, Arg->getType()->isPointerType()); !L.empty())
        S.ReleasedOnExit.push_back(L);
    if (A->args_size() == 0 && isa<CXXMethodDecl>(FD))
      S.ReleasedOnExit.push_back("T:");
  }
}

//===----------------------------------------------------------------------===//
// Pre-pass: aliases, escaping locals, OpenMP structure
//===----------------------------------------------------------------------===//

class PrepassVisitor : public RecursiveASTVisitor<PrepassVisitor> {
public:
  explicit PrepassVisitor(std::function<void(const Stmt *)> F) : F(std::move(F)) {}
  bool shouldVisitLambdaBody() const { return false; }
  bool VisitStmt(Stmt *S) {
    F(S);
    return true;
  }
  bool TraverseLambdaExpr(LambdaExpr *L) {
    F(L);
    // Captures only; the body is its own function.
    for (Expr *Init : L->capture_inits())
      if (Init)
        TraverseStmt(Init);
    return true;
  }

private:
  std::function<void(const Stmt *)> F;
};

void FunctionSummarizer::prepass() {
  // Lambdas: which enclosing variables are captured by copy.
  if (Lambda) {
    const CXXRecordDecl *RD = cast<CXXMethodDecl>(FD)->getParent();
    for (const LambdaCapture &C : RD->captures())
      if (C.capturesVariable() && C.getCaptureKind() == LCK_ByCopy)
        if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
          ByCopyCaptures.insert(VD);
  }
  walkOmp(Body, nullptr);

  auto AddAlias = [&](const VarDecl *VD, const Expr *Init) {
    if (!VD || !Init || !VD->hasLocalStorage())
      return;
    QualType T = VD->getType();
    std::optional<ExprPath> P;
    if (T->isReferenceType())
      P = pathOf(Init);
    else if (T->isPointerType())
      P = pointeeOf(Init);
    else {
      // Values derived from a parameter or a thread id: index tags.
      const Expr *Stripped = strip(Init);
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Stripped)) {
        if (const auto *PV = dyn_cast<ParmVarDecl>(DRE->getDecl()))
          if (PV->getDeclContext() == FD)
            ValueFromParam[VD] = "P" + std::to_string(PV->getFunctionScopeIndex());
      } else if (const auto *CE = dyn_cast<CallExpr>(Stripped)) {
        if (const auto *Callee = CE->getDirectCallee())
          if (TU.Rules.isThreadIdFunction(TU.qualName(Callee)))
            ThreadIdVars.insert(VD);
      }
      return;
    }
    if (!P)
      return;
    auto It = PointerAlias.find(VD);
    if (It != PointerAlias.end() && It->second != P->Str)
      AliasConflict.insert(VD);
    else
      PointerAlias[VD] = P->Str;
  };

  // Taking the address of (part of) a local lets other code name it.
  auto MarkEscaping = [&](const Expr *E) {
    while (true) {
      E = strip(E);
      if (const auto *ME = dyn_cast<MemberExpr>(E); ME && !ME->isArrow()) {
        E = ME->getBase();
        continue;
      }
      if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
        E = ASE->getBase();
        continue;
      }
      break;
    }
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
        Escaping.insert(VD);
  };
  PrepassVisitor V([&](const Stmt *St) {
    if (const auto *DS = dyn_cast<DeclStmt>(St)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          AddAlias(VD, VD->getInit());
    } else if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
      if (BO->getOpcode() == BO_Assign)
        if (const auto *DRE = dyn_cast<DeclRefExpr>(strip(BO->getLHS())))
          if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
            if (VD->getType()->isPointerType())
              AddAlias(VD, BO->getRHS());
    } else if (const auto *UO = dyn_cast<UnaryOperator>(St)) {
      if (UO->getOpcode() == UO_AddrOf)
        MarkEscaping(UO->getSubExpr());
    } else if (const auto *ICE = dyn_cast<ImplicitCastExpr>(St)) {
      if (ICE->getCastKind() == CK_ArrayToPointerDecay)
        MarkEscaping(ICE->getSubExpr());
    } else if (const auto *L = dyn_cast<LambdaExpr>(St)) {
      for (const LambdaCapture &C : L->captures())
        if (C.capturesVariable() && C.getCaptureKind() == LCK_ByRef)
          if (const auto *VD = dyn_cast<VarDecl>(C.getCapturedVar()))
            Escaping.insert(VD);
    } else if (const auto *RF = dyn_cast<CXXForRangeStmt>(St)) {
      if (const auto *DRE = dyn_cast<DeclRefExpr>(strip(RF->getRangeInit())))
        if (const auto *C = dyn_cast<VarDecl>(DRE->getDecl()))
          RangeLoopContainer[RF->getLoopVariable()] = C;
    } else if (const auto *CE = dyn_cast<CallExpr>(St)) {
      // Locals passed by reference or pointer to another function escape.
      const FunctionDecl *Callee = CE->getDirectCallee();
      unsigned Shift = isa<CXXOperatorCallExpr>(CE) && Callee && isa<CXXMethodDecl>(Callee) ? 1 : 0;
      for (unsigned I = 0; I < CE->getNumArgs(); ++I) {
        const Expr *A = unwrapRef(CE->getArg(I));
        const auto *DRE = dyn_cast<DeclRefExpr>(A);
        if (!DRE)
          continue;
        const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        if (!VD)
          continue;
        QualType PT;
        if (Callee && I >= Shift && I - Shift < Callee->getNumParams())
          PT = Callee->getParamDecl(I - Shift)->getType();
        else if (!Callee)
          if (const auto *FPT = CE->getCallee()
                                    ->getType()
                                    ->getPointeeOrArrayElementType()
                                    ->getAs<FunctionProtoType>();
              FPT && I < FPT->getNumParams())
            PT = FPT->getParamType(I); // A call through a function pointer.
        if (PT.isNull() || (PT->isReferenceType() &&
                            !PT.getNonReferenceType().isConstQualified()))
          Escaping.insert(VD);
      }
    }
  });
  V.TraverseStmt(Body);
  for (const VarDecl *VD : AliasConflict)
    PointerAlias.erase(VD);

  PrepassVisitor Joins([&](const Stmt *St) {
    const auto *CE = dyn_cast<CallExpr>(St);
    const FunctionDecl *Callee = CE ? CE->getDirectCallee() : nullptr;
    if (!Callee)
      return;
    const JoinRule *J = TU.Rules.join(TU.qualName(Callee));
    if (!J)
      return;
    const Expr *H = nullptr;
    if (J->HandleArg == ThisArg) {
      if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
        H = MC->getImplicitObjectArgument();
    } else if (J->HandleArg >= 0 && static_cast<unsigned>(J->HandleArg) < CE->getNumArgs()) {
      H = CE->getArg(J->HandleArg);
    }
    if (!H)
      return;
    const ValueDecl *Var = handleVar(H);
    if (const Stmt *Loop = innermostLoop(CE); Loop && Var)
      LoopJoins[Loop].insert(Var);
  });
  Joins.TraverseStmt(Body);
}

template <typename ClauseT>
static void addClauseVars(const OMPExecutableDirective *D, std::set<const VarDecl *> &Out) {
  for (const auto *C : D->getClausesOfKind<ClauseT>())
    for (const Expr *E : C->varlists())
      if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          Out.insert(VD);
}

void FunctionSummarizer::walkOmp(const Stmt *St, const OmpNode *Cur) {
  if (!St)
    return;
  if (isa<LambdaExpr>(St))
    return;
  if (Cur)
    StmtOmp[St] = Cur;
  if (const auto *D = dyn_cast<OMPExecutableDirective>(St)) {
    auto N = std::make_unique<OmpNode>();
    N->D = D;
    N->Parent = Cur;
    OpenMPDirectiveKind K = D->getDirectiveKind();
    addClauseVars<OMPPrivateClause>(D, N->Private);
    addClauseVars<OMPFirstprivateClause>(D, N->Private);
    addClauseVars<OMPLastprivateClause>(D, N->Private);
    addClauseVars<OMPReductionClause>(D, N->Private);
    addClauseVars<OMPLinearClause>(D, N->Private);
    if (N->isRegion()) {
      N->RegionIndex = static_cast<unsigned>(Regions.size()) + 1;
      Regions.push_back(nullptr);
    }
    if (K == llvm::omp::OMPD_single || K == llvm::omp::OMPD_master ||
        K == llvm::omp::OMPD_masked || K == llvm::omp::OMPD_section)
      N->OnceId = NextOnce++;
    const Stmt *Assoc = D->hasAssociatedStmt() ? D->getAssociatedStmt() : nullptr;
    while (const auto *CS = dyn_cast_or_null<CapturedStmt>(Assoc))
      Assoc = CS->getCapturedStmt();
    if (isOpenMPLoopDirective(K)) {
      // The iteration variables of the associated (collapsed) loops are private.
      const Stmt *Loop = Assoc;
      unsigned Depth = cast<OMPLoopDirective>(D)->getLoopsNumber();
      for (unsigned I = 0; I < Depth && Loop; ++I) {
        const auto *For = dyn_cast<ForStmt>(Loop);
        if (!For)
          break;
        const VarDecl *IV = nullptr;
        if (const auto *DS = dyn_cast_or_null<DeclStmt>(For->getInit()))
          IV = dyn_cast<VarDecl>(DS->getSingleDecl());
        else if (const auto *BO = dyn_cast_or_null<BinaryOperator>(For->getInit()))
          if (const auto *DRE = dyn_cast<DeclRefExpr>(strip(BO->getLHS())))
            IV = dyn_cast<VarDecl>(DRE->getDecl());
        if (IV) {
          N->Private.insert(IV);
          N->LoopVars.insert(IV);
        }
        Loop = For->getBody();
        if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Loop); CS && CS->size() == 1)
          Loop = CS->body_front();
      }
    }
    const OmpNode *Node = N.get();
    OmpNodes.push_back(std::move(N));
    StmtOmp[St] = Node; // The directive element itself belongs to its own node.
    walkOmp(Assoc, Node);
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    // Variables declared inside a region are private to each thread of the team.
    for (const OmpNode *N = Cur; N; N = N->Parent)
      if (N->isRegion()) {
        for (const Decl *D : DS->decls())
          if (const auto *VD = dyn_cast<VarDecl>(D))
            const_cast<OmpNode *>(N)->Private.insert(VD);
        break;
      }
  }
  for (const Stmt *Child : St->children())
    walkOmp(Child, Cur);
}

//===----------------------------------------------------------------------===//
// Transfer
//===----------------------------------------------------------------------===//

void FunctionSummarizer::transferBlock(const CFGBlock *B, FlowState &St) {
  for (const CFGElement &E : *B)
    element(E, St);
}

void FunctionSummarizer::element(const CFGElement &E, FlowState &St) {
  if (auto CS = E.getAs<CFGStmt>()) {
    statement(CS->getStmt(), St);
    return;
  }
  if (auto Dtor = E.getAs<CFGAutomaticObjDtor>()) {
    const VarDecl *VD = Dtor->getVarDecl();
    auto G = St.Guards.find(VD);
    if (G != St.Guards.end()) {
      if (G->second.Owns)
        for (const std::string &L : G->second.Locks)
          release(L, St);
      St.Guards.erase(G);
    }
    auto H = St.Handles.find(VD);
    if (H != St.Handles.end()) {
      bool JoinsOnDestroy = false;
      for (unsigned Id : H->second)
        if (SpawnInfo[Id].Rule && SpawnInfo[Id].Rule->JoinsOnDestroy)
          JoinsOnDestroy = true;
      if (JoinsOnDestroy)
        join(VD, St);
    }
  }
}

void FunctionSummarizer::acquire(const std::string &Lock, bool Shared, FlowState &St) {
  if (Lock.empty())
    return;
  St.Held[Lock] = Shared;
  St.Released.erase(Lock);
}

void FunctionSummarizer::release(const std::string &Lock, FlowState &St) {
  if (Lock.empty())
    return;
  if (!St.Held.erase(Lock))
    St.Released.insert(Lock); // An unlock wrapper: the caller's lock goes.
}

void FunctionSummarizer::join(const ValueDecl *Handle, FlowState &St) {
  if (!Handle)
    return;
  if (const auto *PV = dyn_cast<ParmVarDecl>(Handle); PV && PV->getDeclContext() == FD)
    JoinedParams.insert(PV);
  auto H = St.Handles.find(Handle);
  if (H == St.Handles.end())
    return;
  for (unsigned Id : H->second)
    St.Live.erase(Id);
}

void FunctionSummarizer::edge(const CFGBlock *B, unsigned SuccIndex, FlowState &St) {
  if (B->succ_size() != 2)
    return;
  // Leaving a loop that joins a container's threads: all of them are joined.
  if (SuccIndex == 1)
    if (const Stmt *Loop = B->getTerminatorStmt()) {
      auto It = LoopJoins.find(Loop);
      if (It != LoopJoins.end())
        for (const ValueDecl *H : It->second)
          join(H, St);
    }
  // try_lock in a branch condition: the lock is held on the success edge only.
  const Stmt *Cond = B->getTerminatorCondition();
  const auto *E = dyn_cast_or_null<Expr>(Cond);
  if (!E)
    return;
  bool WhenTrue = true; // the condition is true iff the lock was acquired
  const Expr *Cur = E;
  while (true) {
    Cur = strip(Cur);
    if (const auto *UO = dyn_cast<UnaryOperator>(Cur); UO && UO->getOpcode() == UO_LNot) {
      WhenTrue = !WhenTrue;
      Cur = UO->getSubExpr();
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(Cur);
        BO && (BO->getOpcode() == BO_EQ || BO->getOpcode() == BO_NE)) {
      const Expr *L = strip(BO->getLHS()), *R = strip(BO->getRHS());
      const Expr *Other = nullptr;
      if (const auto *IL = dyn_cast<IntegerLiteral>(R); IL && IL->getValue() == 0)
        Other = L;
      else if (const auto *IL2 = dyn_cast<IntegerLiteral>(L); IL2 && IL2->getValue() == 0)
        Other = R;
      if (!Other)
        return;
      if (BO->getOpcode() == BO_EQ)
        WhenTrue = !WhenTrue;
      Cur = Other;
      continue;
    }
    break;
  }
  const auto *CE = dyn_cast<CallExpr>(Cur);
  if (!CE || !CE->getDirectCallee())
    return;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
    // unique_lock: if (lk.owns_lock()), if (lk), if (lk.try_lock()).
    const ValueDecl *V = handleVar(MC->getImplicitObjectArgument());
    auto G = V ? St.Guards.find(V) : St.Guards.end();
    const CXXMethodDecl *M = MC->getMethodDecl();
    if (G != St.Guards.end() && M &&
        (M->getNameAsString() == "owns_lock" || M->getNameAsString() == "try_lock" ||
         isa<CXXConversionDecl>(M))) {
      if ((SuccIndex == 0) == WhenTrue) {
        for (const std::string &L : G->second.Locks)
          acquire(L, G->second.Shared, St);
        G->second.Owns = true;
      }
      return;
    }
  }
  const LockRule *R = TU.Rules.lock(TU.qualName(CE->getDirectCallee()));
  if (!R || (R->Action != LockAction::TryAcquire && R->Action != LockAction::TryAcquireShared))
    return;
  if (R->Success == TrySuccess::Zero)
    WhenTrue = !WhenTrue;
  bool Acquired = (SuccIndex == 0) == WhenTrue;
  if (!Acquired)
    return;
  std::string L;
  if (R->LockArg == ThisArg) {
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE))
      L = lockPath(MC->getImplicitObjectArgument(),
                   MC->getImplicitObjectArgument()->getType()->isPointerType());
  } else if (R->LockArg >= 0 && static_cast<unsigned>(R->LockArg) < CE->getNumArgs()) {
    L = lockPath(CE->getArg(R->LockArg), true);
  }
  acquire(L, R->Action == LockAction::TryAcquireShared, St);
}

void FunctionSummarizer::statement(const Stmt *St, FlowState &State) {
  if (Recording)
    CpuHeld.noteHeld(St, State.Held);
  // The team's threads start without the encountering thread's locks.
  if (Recording)
    if (const OmpNode *R = regionOf(ompOf(St)); R && !RegionEntryLocks.count(R->RegionIndex))
      RegionEntryLocks[R->RegionIndex] = State.Held;
  if (const auto *D = dyn_cast<OMPExecutableDirective>(St)) {
    OpenMPDirectiveKind K = D->getDirectiveKind();
    const OmpNode *N = StmtOmp.lookup(St);
    bool NoWait = !D->getClausesOfKind<OMPNowaitClause>().empty();
    if (N && N->isRegion()) {
      // The team starts and is joined here; its body was recorded as it went.
      if (Recording) {
        FunctionSummary &Parent = target(St);
        SpawnEvent Sp;
        Sp.Id = spawnId(St);
        Sp.Entry = S.Key + "#omp" + std::to_string(N->RegionIndex);
        Sp.EntryName = "OpenMP parallel region";
        Sp.Api = "omp parallel";
        Sp.Repeat = InstanceCount{InstanceCount::Cores, 1};
        for (const auto *NT : D->getClausesOfKind<OMPNumThreadsClause>())
          Sp.Repeat = countOf(TU, NT->getNumThreads(), Body);
        Sp.Multi = true;
        Sp.Synchronous = true;
        Sp.This = Lambda ? "T:" : (isa<CXXMethodDecl>(FD) ? "T:" : "");
        for (unsigned I = 0; I < FD->getNumParams(); ++I)
          Sp.Args.push_back("P" + std::to_string(I) + ":");
        Sp.ArgDistinct.assign(Sp.Args.size(), false);
        Sp.LiveSpawns.assign(State.Live.begin(), State.Live.end());
        Sp.Pos = TU.pos(D->getBeginLoc());
        Sp.Order = order(St);
        Parent.Spawns.push_back(std::move(Sp));
        if (!Regions[N->RegionIndex - 1]) {
          // An empty region still needs its pseudo-function.
          (void)target(D->getAssociatedStmt() ? D->getAssociatedStmt() : St);
        }
      }
      State.OmpPhase++;
      return;
    }
    bool Barrier = K == llvm::omp::OMPD_barrier || K == llvm::omp::OMPD_taskwait ||
                   ((isOpenMPWorksharingDirective(K) || K == llvm::omp::OMPD_single) && !NoWait);
    if (K == llvm::omp::OMPD_section)
      Barrier = false;
    if (Barrier)
      State.OmpPhase++;
    return;
  }
  if (const auto *CE = dyn_cast<CallExpr>(St)) {
    handleCall(CE, State);
    return;
  }
  if (const auto *CE = dyn_cast<CXXConstructExpr>(St)) {
    handleConstruct(CE, State);
    return;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(St)) {
    if (UO->isIncrementDecrementOp())
      access(UO->getSubExpr(), true, State);
    return;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(St)) {
    if (BO->isAssignmentOp())
      access(BO->getLHS(), true, State);
    return;
  }
  if (const auto *ICE = dyn_cast<ImplicitCastExpr>(St)) {
    if (ICE->getCastKind() == CK_LValueToRValue || ICE->getCastKind() == CK_AtomicToNonAtomic)
      access(ICE->getSubExpr(), false, State);
    return;
  }
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    // `auto f = std::async(...)` and `T v = std::move(lock)` are handled where
    // the initializer is; nothing else to do for declarations.
    (void)DS;
  }
}

//===----------------------------------------------------------------------===//
// Paths
//===----------------------------------------------------------------------===//

bool FunctionSummarizer::isAtomicType(QualType T) {
  T = T.getNonReferenceType();
  if (T->isAtomicType())
    return true;
  std::string C = TU.className(T);
  return !C.empty() && TU.Rules.isAtomicType(C);
}

bool FunctionSummarizer::isSyncType(QualType T) {
  std::string C = TU.className(T);
  if (C.empty())
    return false;
  return TU.Rules.isSyncType(C) || TU.Rules.guard(C) || TU.Rules.isAtomicType(C) ||
         TU.Rules.threadConstructor(C);
}

std::string FunctionSummarizer::localKey(const VarDecl *VD) {
  const DeclContext *DC = VD->getParentFunctionOrMethod();
  std::string Owner = DC ? TU.keyOf(cast<Decl>(DC)) : S.Key;
  return "L:" + Owner + ":" + VD->getNameAsString() + "@" +
         std::to_string(TU.Ctx.getSourceManager().getFileOffset(
             TU.Ctx.getSourceManager().getFileLoc(VD->getLocation())));
}

const OmpNode *FunctionSummarizer::ompOf(const Stmt *St) const { return StmtOmp.lookup(St); }

const OmpNode *FunctionSummarizer::regionOf(const OmpNode *N) const {
  for (; N; N = N->Parent)
    if (N->isRegion())
      return N;
  return nullptr;
}

std::optional<ExprPath> FunctionSummarizer::varPath(const VarDecl *VD) {
  if (VD->getTLSKind() != VarDecl::TLS_None || VD->hasAttr<OMPThreadPrivateDeclAttr>())
    return std::nullopt;
  QualType T = VD->getType();
  if (!T->isReferenceType() && T.isConstQualified())
    return std::nullopt; // Never written: reads of const objects cannot race.
  ExprPath P;
  if (const auto *PV = dyn_cast<ParmVarDecl>(VD); PV && PV->getDeclContext() == FD) {
    if (T->isReferenceType()) {
      P.Str = "P" + std::to_string(PV->getFunctionScopeIndex()) + ":";
      P.Atomic = isAtomicType(T);
      return P;
    }
  }
  if (VD->hasGlobalStorage()) {
    const std::string &K = TU.keyOf(VD);
    TU.noteVariable(VD, K);
    P.Str = "G:" + K;
    P.Atomic = isAtomicType(T);
    return P;
  }
  if (!VD->hasLocalStorage())
    return std::nullopt;
  if (T->isReferenceType()) {
    auto It = PointerAlias.find(VD);
    if (It == PointerAlias.end())
      return std::nullopt;
    P.Str = It->second;
    P.Atomic = isAtomicType(T);
    return P;
  }
  const DeclContext *Owner = VD->getParentFunctionOrMethod();
  bool Own = Owner == FD;
  if (!Own) {
    // An enclosing function's local seen from a lambda: shared only if
    // captured by reference.
    if (!Lambda || ByCopyCaptures.count(VD))
      return std::nullopt;
  } else if (!Escaping.count(VD) && !IgnoreEscape) {
    // A local nobody else can name, unless an OpenMP team shares it.
    bool InRegion = false;
    (void)InRegion;
    return std::nullopt;
  }
  P.Str = localKey(VD);
  P.Atomic = isAtomicType(T);
  return P;
}

IndexTag FunctionSummarizer::indexTag(const Expr *Idx) {
  IndexTag Tag;
  long Offset = 0;
  const Expr *E = strip(Idx);
  if (const auto *BO = dyn_cast<BinaryOperator>(E);
      BO && (BO->getOpcode() == BO_Add || BO->getOpcode() == BO_Sub)) {
    const Expr *L = strip(BO->getLHS()), *R = strip(BO->getRHS());
    if (const auto *IL = dyn_cast<IntegerLiteral>(R)) {
      Offset = static_cast<long>(IL->getValue().getSExtValue());
      if (BO->getOpcode() == BO_Sub)
        Offset = -Offset;
      E = L;
    } else if (const auto *IL2 = dyn_cast<IntegerLiteral>(L); IL2 && BO->getOpcode() == BO_Add) {
      Offset = static_cast<long>(IL2->getValue().getSExtValue());
      E = R;
    }
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    if (const auto *Callee = CE->getDirectCallee())
      if (TU.Rules.isThreadIdFunction(TU.qualName(Callee))) {
        Tag.K = IndexTag::ThreadId;
        Tag.Var = "omp";
        Tag.Offset = Offset;
      }
    return Tag;
  }
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  if (!DRE)
    return Tag;
  const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
  if (!VD)
    return Tag;
  for (const OmpNode *N = ompOf(Idx); N; N = N->Parent)
    if (N->LoopVars.count(VD)) {
      Tag.K = IndexTag::LoopVar;
      Tag.Var = std::to_string(reinterpret_cast<uintptr_t>(VD));
      Tag.Offset = Offset;
      return Tag;
    }
  if (ThreadIdVars.count(VD)) {
    Tag.K = IndexTag::ThreadId;
    Tag.Var = "omp";
    Tag.Offset = Offset;
    return Tag;
  }
  std::string Param;
  if (const auto *PV = dyn_cast<ParmVarDecl>(VD); PV && PV->getDeclContext() == FD)
    Param = "P" + std::to_string(PV->getFunctionScopeIndex());
  else if (auto It = ValueFromParam.find(VD); It != ValueFromParam.end())
    Param = It->second;
  if (!Param.empty()) {
    Tag.K = IndexTag::ThreadId;
    Tag.Var = Param;
    Tag.Offset = Offset;
  }
  return Tag;
}

static bool isElementContainer(llvm::StringRef C) {
  return C == "std::vector" || C == "std::array" || C == "std::deque" || C == "std::span" ||
         C == "std::basic_string" || C == "std::valarray";
}

std::optional<ExprPath> FunctionSummarizer::pathOf(const Expr *E) {
  E = strip(E);
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return std::nullopt;
    if (const OmpNode *N = ompOf(DRE)) {
      for (const OmpNode *M = N; M; M = M->Parent)
        if (M->Private.count(VD))
          return std::nullopt;
      // Shared by the team: a local of the enclosing function named in a region.
      if (regionOf(N) && VD->hasLocalStorage() && !VD->getType()->isReferenceType() &&
          VD->getParentFunctionOrMethod() == FD) {
        ExprPath P;
        P.Str = localKey(VD);
        P.Atomic = isAtomicType(VD->getType());
        return P;
      }
    }
    return varPath(VD);
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E)) {
    if (const auto *VD = dyn_cast<VarDecl>(ME->getMemberDecl()))
      return varPath(VD);
    const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
    if (!Field)
      return std::nullopt;
    std::optional<ExprPath> Base =
        ME->isArrow() ? pointeeOf(ME->getBase()) : pathOf(ME->getBase());
    if (!Base)
      return std::nullopt;
    std::string Key = TU.qualName(Field->getParent()) + "::" + Field->getNameAsString();
    TU.noteField(Field, Key);
    ExprPath P;
    P.Str = Base->Str + "|." + Key;
    P.Atomic = Base->Atomic || isAtomicType(Field->getType());
    P.Tag = Base->Tag;
    if (Field->getType().isConstQualified() && !Field->isMutable())
      return std::nullopt;
    return P;
  }
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E)) {
    std::optional<ExprPath> Base = pointeeOf(ASE->getBase());
    if (!Base)
      return std::nullopt;
    Base->Str += "|[]";
    IndexTag T = indexTag(ASE->getIdx());
    if (T.K != IndexTag::None || Base->Tag.K == IndexTag::None)
      Base->Tag = T;
    return Base;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_Deref)
      return pointeeOf(UO->getSubExpr());
    return std::nullopt;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E)) {
    if (OC->getNumArgs() >= 1 && isa_and_nonnull<CXXMethodDecl>(OC->getDirectCallee())) {
      std::string C = TU.className(OC->getArg(0)->getType());
      OverloadedOperatorKind K = OC->getOperator();
      if (K == OO_Subscript && isElementContainer(C) && OC->getNumArgs() == 2) {
        std::optional<ExprPath> Base = pathOf(OC->getArg(0));
        if (!Base)
          return std::nullopt;
        Base->Str += "|[]";
        Base->Tag = indexTag(OC->getArg(1));
        return Base;
      }
      if ((K == OO_Star || K == OO_Arrow) && OC->getNumArgs() == 1 &&
          (C == "std::unique_ptr" || C == "std::shared_ptr")) {
        std::optional<ExprPath> Base = pathOf(OC->getArg(0));
        if (Base)
          Base->Str += "|*";
        return Base;
      }
    }
    return std::nullopt;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
    // v.at(i) on element containers.
    if (const auto *M = MC->getMethodDecl(); M && M->getNameAsString() == "at" &&
                                            MC->getNumArgs() == 1 &&
                                            isElementContainer(TU.className(
                                                MC->getImplicitObjectArgument()->getType()))) {
      std::optional<ExprPath> Base = pathOf(MC->getImplicitObjectArgument());
      if (!Base)
        return std::nullopt;
      Base->Str += "|[]";
      Base->Tag = indexTag(MC->getArg(0));
      return Base;
    }
  }
  return std::nullopt;
}

std::optional<ExprPath> FunctionSummarizer::pointeeOf(const Expr *E) {
  // Peel casts but notice an array decaying to a pointer: its pointee is the array.
  while (true) {
    E = E->IgnoreParens();
    if (const auto *ICE = dyn_cast<ImplicitCastExpr>(E)) {
      if (ICE->getCastKind() == CK_ArrayToPointerDecay)
        return pathOf(ICE->getSubExpr());
      E = ICE->getSubExpr();
      continue;
    }
    if (const auto *CE = dyn_cast<ExplicitCastExpr>(E)) {
      E = CE->getSubExpr();
      continue;
    }
    break;
  }
  if (isa<CXXThisExpr>(E)) {
    ExprPath P;
    P.Str = "T:";
    return P;
  }
  if (const auto *UO = dyn_cast<UnaryOperator>(E)) {
    if (UO->getOpcode() == UO_AddrOf)
      return pathOf(UO->getSubExpr());
    return std::nullopt;
  }
  if (const auto *BO = dyn_cast<BinaryOperator>(E)) {
    if ((BO->getOpcode() == BO_Add || BO->getOpcode() == BO_Sub) &&
        BO->getLHS()->getType()->isPointerType()) {
      std::optional<ExprPath> Base = pointeeOf(BO->getLHS());
      if (Base) {
        Base->Str += "|[]";
        Base->Tag = indexTag(BO->getRHS());
      }
      return Base;
    }
    return std::nullopt;
  }
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
    if (!VD)
      return std::nullopt;
    if (const auto *PV = dyn_cast<ParmVarDecl>(VD); PV && PV->getDeclContext() == FD &&
                                                     !PV->getType()->isReferenceType()) {
      ExprPath P;
      P.Str = "P" + std::to_string(PV->getFunctionScopeIndex()) + ":";
      return P;
    }
    if (VD->hasLocalStorage() && !VD->getType()->isReferenceType()) {
      auto It = PointerAlias.find(VD);
      if (It != PointerAlias.end()) {
        ExprPath P;
        P.Str = It->second;
        return P;
      }
      if (VD->getParentFunctionOrMethod() != FD && Lambda) {
        // A pointer captured by copy still points at the enclosing
        // function's object.
        ExprPath P;
        P.Str = localKey(VD) + "|*";
        return P;
      }
      return std::nullopt;
    }
    std::optional<ExprPath> Var = varPath(VD);
    if (Var)
      Var->Str += "|*";
    return Var;
  }
  if (isa<MemberExpr>(E) || isa<ArraySubscriptExpr>(E)) {
    std::optional<ExprPath> Base = pathOf(E);
    if (Base)
      Base->Str += "|*";
    return Base;
  }
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
      OC && OC->getOperator() == OO_Arrow && OC->getNumArgs() == 1) {
    // shared_ptr / unique_ptr: the object the smart pointer owns.
    const Expr *Obj = strip(OC->getArg(0));
    if (const auto *DRE = dyn_cast<DeclRefExpr>(Obj))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
          VD && VD->hasLocalStorage() && !VD->getType()->isReferenceType() &&
          !isa<ParmVarDecl>(VD)) {
        ExprPath P;
        P.Str = localKey(VD) + "|*";
        return P;
      }
    llvm::SaveAndRestore<bool> Guard(IgnoreEscape, true);
    std::optional<ExprPath> Base = pathOf(Obj);
    if (Base)
      Base->Str += "|*";
    return Base;
  }
  if (const auto *NE = dyn_cast<CXXNewExpr>(E)) {
    SourcePos P = TU.pos(NE->getBeginLoc());
    ExprPath R;
    R.Str = "H:" + S.Key + ":" + std::to_string(P.Line) + "@" + std::to_string(P.Offset);
    return R;
  }
  if (const auto *CE = dyn_cast<CallExpr>(E)) {
    if (const auto *Callee = CE->getDirectCallee()) {
      std::string N = TU.qualName(Callee);
      if (N == "malloc" || N == "calloc" || N == "realloc" || N == "aligned_alloc") {
        SourcePos P = TU.pos(CE->getBeginLoc());
        ExprPath R;
        R.Str = "H:" + S.Key + ":" + std::to_string(P.Line) + "@" + std::to_string(P.Offset);
        return R;
      }
    }
  }
  return std::nullopt;
}

std::string FunctionSummarizer::lockPath(const Expr *E, bool IsPointer) {
  std::optional<ExprPath> P = IsPointer ? pointeeOf(E) : pathOf(E);
  if (!P) {
    // Mutexes are rarely const, but a global std::mutex referenced through a
    // const path or a local mutex still names a lock.
    const Expr *S2 = strip(E);
    if (const auto *UO = dyn_cast<UnaryOperator>(S2); UO && UO->getOpcode() == UO_AddrOf)
      S2 = strip(UO->getSubExpr());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(S2))
      if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        if (VD->hasGlobalStorage()) {
          TU.noteVariable(VD, TU.keyOf(VD));
          return "G:" + TU.keyOf(VD);
        }
        if (VD->hasLocalStorage() && !VD->getType()->isReferenceType())
          return localKey(VD);
      }
    return "";
  }
  return P->Str;
}

//===----------------------------------------------------------------------===//
// Events
//===----------------------------------------------------------------------===//

FunctionSummary &FunctionSummarizer::target(const Stmt *St) {
  const OmpNode *R = regionOf(ompOf(St));
  if (!R)
    return S;
  // Nested regions record into their own pseudo-function.
  const OMPExecutableDirective *Self = dyn_cast<OMPExecutableDirective>(St);
  if (Self && R->D == Self) {
    const OmpNode *Outer = regionOf(R->Parent);
    if (!Outer)
      return S;
    R = Outer;
  }
  FunctionSummary *&F = Regions[R->RegionIndex - 1];
  if (!F) {
    std::string Key = S.Key + "#omp" + std::to_string(R->RegionIndex);
    F = &TU.Out.Functions[Key];
    F->Key = Key;
    F->Name = S.Name;
    F->Pos = TU.pos(R->D->getBeginLoc());
  }
  return *F;
}

LockSet FunctionSummarizer::locksFor(const Stmt *St, const FlowState &State) {
  LockSet L = State.Held;
  const OmpNode *N = ompOf(St);
  const OmpNode *R = regionOf(N);
  if (R) {
    // The team's threads do not hold what the encountering thread held.
    auto It = RegionEntryLocks.find(R->RegionIndex);
    if (It == RegionEntryLocks.end())
      It = RegionEntryLocks.insert({R->RegionIndex, State.Held}).first;
    for (auto &KV : It->second)
      L.erase(KV.first);
  }
  for (; N; N = N->Parent) {
    if (N->D->getDirectiveKind() == llvm::omp::OMPD_critical) {
      const auto *C = cast<OMPCriticalDirective>(N->D);
      L["G:omp critical(" + C->getDirectiveName().getAsString() + ")"] = false;
    } else if (N->D->getDirectiveKind() == llvm::omp::OMPD_ordered) {
      L["G:omp ordered"] = false;
    }
    if (N == R)
      break;
  }
  return L;
}

void FunctionSummarizer::access(const Expr *E, bool IsWrite, const FlowState &State,
                                bool ForceAtomic) {
  if (!Recording)
    return;
  std::optional<ExprPath> P = pathOf(E);
  if (!P)
    return;
  FunctionSummary &T = target(E);
  AccessEvent A;
  A.Path = P->Str;
  A.IsWrite = IsWrite;
  A.IsAtomic = P->Atomic || ForceAtomic;
  for (const OmpNode *N = ompOf(E); N; N = N->Parent) {
    if (N->D->getDirectiveKind() == llvm::omp::OMPD_atomic)
      A.IsAtomic = true;
    if (!A.Omp.OnceId && N->OnceId)
      A.Omp.OnceId = N->OnceId;
    if (N->isRegion())
      break;
  }
  A.Locks = locksFor(E, State);
  if (&T == &S)
    A.LiveSpawns.assign(State.Live.begin(), State.Live.end());
  A.Omp.Phase = State.OmpPhase;
  A.Omp.Index = P->Tag;
  A.Pos = TU.pos(E->getBeginLoc());
  A.Order = order(E);
  if (llvm::StringRef(A.Path).starts_with("G:") && !llvm::StringRef(A.Path).contains('|'))
    A.VarKey = A.Path.substr(2);
  // The same expression can be reached twice (e.g. a compound assignment's
  // implicit read and its write); keep the strongest.
  if (!T.Accesses.empty()) {
    AccessEvent &Last = T.Accesses.back();
    if (Last.Pos == A.Pos && Last.Path == A.Path && Last.Locks == A.Locks) {
      Last.IsWrite |= A.IsWrite;
      return;
    }
  }
  T.Accesses.push_back(std::move(A));
}

InstanceCount FunctionSummarizer::repeatAround(const Stmt *St) {
  InstanceCount N;
  const Stmt *Child = St;
  for (const Stmt *P = PM.getParent(St); P; Child = P, P = PM.getParent(P)) {
    const Stmt *LoopBody = nullptr;
    if (const auto *F = dyn_cast<ForStmt>(P))
      LoopBody = F->getBody();
    else if (const auto *W = dyn_cast<WhileStmt>(P))
      LoopBody = W->getBody();
    else if (const auto *D = dyn_cast<DoStmt>(P))
      LoopBody = D->getBody();
    else if (const auto *RF = dyn_cast<CXXForRangeStmt>(P))
      LoopBody = RF->getBody();
    if (LoopBody && LoopBody == Child)
      N = InstanceCount::times(N, loopInstances(TU, P, Body));
  }
  return N;
}

const Stmt *FunctionSummarizer::innermostLoop(const Stmt *St) const {
  for (const Stmt *P = PM.getParent(St); P; P = PM.getParent(P))
    if (isa<ForStmt>(P) || isa<WhileStmt>(P) || isa<DoStmt>(P) || isa<CXXForRangeStmt>(P))
      return P;
  return nullptr;
}

static const VarDecl *refVar(const Expr *E) {
  if (const auto *DRE = dyn_cast<DeclRefExpr>(strip(E)))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

bool FunctionSummarizer::distinctPerIteration(const Expr *Arg, const Stmt *Loop) {
  if (!Loop)
    return false;
  std::set<const VarDecl *> LoopVars;
  if (const auto *For = dyn_cast<ForStmt>(Loop)) {
    if (const auto *DS = dyn_cast_or_null<DeclStmt>(For->getInit()))
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          LoopVars.insert(VD);
    if (const auto *BO = dyn_cast_or_null<BinaryOperator>(For->getInit()))
      if (const VarDecl *VD = refVar(BO->getLHS()))
        LoopVars.insert(VD);
    if (const auto *Inc = dyn_cast_or_null<UnaryOperator>(For->getInc()))
      if (const VarDecl *VD = refVar(Inc->getSubExpr()))
        LoopVars.insert(VD);
  } else if (const auto *RF = dyn_cast<CXXForRangeStmt>(Loop)) {
    LoopVars.insert(RF->getLoopVariable());
  }
  std::function<bool(const Expr *)> UsesLoopVar = [&](const Expr *E) -> bool {
    E = strip(E);
    if (const VarDecl *VD = refVar(E))
      return LoopVars.count(VD) > 0;
    if (const auto *BO = dyn_cast<BinaryOperator>(E))
      return UsesLoopVar(BO->getLHS()) || UsesLoopVar(BO->getRHS());
    return false;
  };
  const Expr *E = unwrapRef(Arg);
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    E = strip(UO->getSubExpr());
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    return UsesLoopVar(ASE->getIdx());
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
      OC && OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2)
    return UsesLoopVar(OC->getArg(1));
  if (const auto *BO = dyn_cast<BinaryOperator>(E); BO && BO->getType()->isPointerType())
    return UsesLoopVar(BO->getRHS()) || UsesLoopVar(BO->getLHS());
  if (const VarDecl *VD = refVar(E)) {
    if (LoopVars.count(VD))
      return true; // The loop variable itself, by value (or a range element).
    // A pointer declared in the loop body and freshly allocated each time.
    SourceRange R = Loop->getSourceRange();
    const SourceManager &SM = TU.Ctx.getSourceManager();
    if (VD->hasLocalStorage() && R.isValid() &&
        SM.isBeforeInTranslationUnit(R.getBegin(), VD->getLocation()) &&
        SM.isBeforeInTranslationUnit(VD->getLocation(), R.getEnd())) {
      auto It = PointerAlias.find(VD);
      if (It != PointerAlias.end() && llvm::StringRef(It->second).starts_with("H:"))
        return true;
      if (!VD->getType()->isPointerType() && !VD->getType()->isReferenceType())
        return true; // A per-iteration value.
    }
  }
  return false;
}

std::string FunctionSummarizer::bindingFor(QualType ParamType, const Expr *Arg) {
  llvm::SaveAndRestore<bool> Guard(IgnoreEscape, true);
  const Expr *E = strip(Arg);
  if (ParamType->isFunctionPointerType() || ParamType->isFunctionReferenceType() ||
      E->getType()->isFunctionType() || E->getType()->isFunctionPointerType()) {
    const Expr *F = E;
    if (const auto *UO = dyn_cast<UnaryOperator>(F); UO && UO->getOpcode() == UO_AddrOf)
      F = strip(UO->getSubExpr());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(F)) {
      if (const auto *Fn = dyn_cast<FunctionDecl>(DRE->getDecl()))
        return "F:" + TU.keyOf(Fn);
      if (const auto *PV = dyn_cast<ParmVarDecl>(DRE->getDecl()); PV && PV->getDeclContext() == FD)
        return "P" + std::to_string(PV->getFunctionScopeIndex()) + ":";
    }
    return "";
  }
  std::optional<ExprPath> P;
  if (ParamType->isReferenceType())
    P = pathOf(Arg);
  else if (ParamType->isPointerType())
    P = pointeeOf(Arg);
  return P ? P->Str : "";
}

unsigned FunctionSummarizer::spawnId(const Stmt *St) {
  auto It = SpawnIds.find(St);
  if (It != SpawnIds.end())
    return It->second;
  unsigned Id = static_cast<unsigned>(SpawnIds.size()) + 1;
  SpawnIds[St] = Id;
  return Id;
}

const ValueDecl *FunctionSummarizer::handleVar(const Expr *E) {
  E = strip(E);
  if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
    E = strip(UO->getSubExpr());
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    E = strip(ASE->getBase());
  if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(E);
      OC && OC->getOperator() == OO_Subscript && OC->getNumArgs() == 2)
    E = strip(OC->getArg(0));
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
    const ValueDecl *D = DRE->getDecl();
    if (const auto *VD = dyn_cast<VarDecl>(D)) {
      auto It = RangeLoopContainer.find(VD);
      if (It != RangeLoopContainer.end())
        return It->second;
    }
    return D;
  }
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    return ME->getMemberDecl();
  return nullptr;
}

/// The variable a constructed object or call result is stored in, if any:
/// `std::thread t(...)`, `t = std::thread(...)`, `v.push_back(std::thread(...))`.
const ValueDecl *FunctionSummarizer::boundVar(const Stmt *St) {
  const Stmt *Child = St;
  for (const Stmt *P = PM.getParent(St); P; Child = P, P = PM.getParent(P)) {
    if (isa<ImplicitCastExpr>(P) || isa<MaterializeTemporaryExpr>(P) ||
        isa<CXXBindTemporaryExpr>(P) || isa<ExprWithCleanups>(P) || isa<ParenExpr>(P) ||
        isa<CXXFunctionalCastExpr>(P))
      continue;
    if (const auto *CE = dyn_cast<CXXConstructExpr>(P))
      if (CE->getNumArgs() == 1 && CE->getConstructor()->isCopyOrMoveConstructor())
        continue;
    if (const auto *DS = dyn_cast<DeclStmt>(P)) {
      for (const Decl *D : DS->decls())
        if (const auto *VD = dyn_cast<VarDecl>(D))
          if (VD->getInit() && strip(VD->getInit()) == strip(cast<Expr>(Child)))
            return VD;
      if (DS->isSingleDecl())
        return dyn_cast<VarDecl>(DS->getSingleDecl());
      return nullptr;
    }
    if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(P)) {
      if (OC->getOperator() == OO_Equal)
        return handleVar(OC->getArg(0));
      return nullptr;
    }
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(P)) {
      // push_back / emplace_back / insert into a container of threads.
      return handleVar(MC->getImplicitObjectArgument());
    }
    return nullptr;
  }
  return nullptr;
}

void FunctionSummarizer::spawn(const ThreadRule &R, const Stmt *At, const Expr *Entry,
                               llvm::ArrayRef<const Expr *> Forwarded, const Expr *Param,
                               const ValueDecl *Handle, FlowState &State) {
  unsigned Id = spawnId(At);
  SpawnInfo[Id].Rule = &R;
  bool Synchronous = false;
  if (!Handle && R.JoinsOnDestroy)
    Synchronous = true; // A discarded std::async future joins at once.
  if (!Synchronous) {
    if (Handle)
      State.Handles[Handle].insert(Id);
  }
  if (Recording) {
    SpawnEvent Sp;
    Sp.Id = Id;
    Sp.Synchronous = Synchronous;
    Sp.Pos = TU.pos(At->getBeginLoc());
    Sp.Order = order(At);
    Sp.LiveSpawns.assign(State.Live.begin(), State.Live.end());
    Sp.Locks = locksFor(At, State);
    const Stmt *Loop = innermostLoop(At);
    // In a loop, a spawn overlaps itself only if the previous iteration's thread
    // may still run when the next one starts.
    Sp.Multi = Loop != nullptr && State.Live.count(Id);
    Sp.Api = R.Name;
    if (Loop)
      Sp.Repeat = repeatAround(At);

    // Resolve the entry: a function, a lambda, a member function, a functor,
    // or a function pointer parameter bound by the callers.
    const FunctionDecl *EntryFn = nullptr;
    const Expr *E = unwrapRef(Entry);
    if (const auto *UO = dyn_cast<UnaryOperator>(E); UO && UO->getOpcode() == UO_AddrOf)
      E = strip(UO->getSubExpr());
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E)) {
      if (const auto *Fn = dyn_cast<FunctionDecl>(DRE->getDecl())) {
        EntryFn = Fn;
      } else if (const auto *PV = dyn_cast<ParmVarDecl>(DRE->getDecl());
                 PV && PV->getDeclContext() == FD && PV->getType()->isFunctionPointerType()) {
        Sp.Entry = "P" + std::to_string(PV->getFunctionScopeIndex()) + ":";
        Sp.EntryName = PV->getNameAsString();
      } else if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl())) {
        if (const Expr *Init = VD->getInit()) {
          if (const auto *L = dyn_cast<LambdaExpr>(strip(Init))) {
            EntryFn = L->getCallOperator();
            Sp.This = "T:";
          } else if (const auto *RD = VD->getType()->getAsCXXRecordDecl()) {
            for (const auto *M : RD->methods())
              if (M->getOverloadedOperator() == OO_Call)
                EntryFn = M;
          }
        }
      }
    } else if (const auto *L = dyn_cast<LambdaExpr>(E)) {
      EntryFn = L->getCallOperator();
      Sp.This = "T:";
    } else if (const auto *CE = dyn_cast<CXXConstructExpr>(E)) {
      if (const auto *RD = CE->getType()->getAsCXXRecordDecl())
        for (const auto *M : RD->methods())
          if (M->getOverloadedOperator() == OO_Call)
            EntryFn = M;
    }
    if (!EntryFn && Sp.Entry.empty())
      if (const auto *RD = E->getType()->getAsCXXRecordDecl())
        for (const auto *M : RD->methods())
          if (M->getOverloadedOperator() == OO_Call)
            EntryFn = M; // A function object, copied into the thread.
    std::vector<const Expr *> Args(Forwarded.begin(), Forwarded.end());
    if (EntryFn) {
      if (const auto *Tmpl = EntryFn->getPrimaryTemplate())
        (void)Tmpl;
      Sp.Entry = TU.keyOf(EntryFn);
      Sp.EntryName = TU.qualName(EntryFn);
      if (Sp.EntryName == "lambda")
        Sp.EntryName = "lambda at line " + std::to_string(TU.pos(EntryFn->getLocation()).Line);
      const auto *MD = dyn_cast<CXXMethodDecl>(EntryFn);
      bool MemberEntry = MD && !MD->isStatic() && !MD->getParent()->isLambda() &&
                         MD->getOverloadedOperator() != OO_Call;
      if (MemberEntry && !Args.empty()) {
        // std::thread(&C::run, obj-pointer-or-ref, args...).
        bool IsRef = false;
        const Expr *Obj = unwrapRef(Args.front(), &IsRef);
        if (Obj->getType()->isPointerType()) {
          if (auto P = pointeeOf(Obj))
            Sp.This = P->Str;
        } else if (IsRef) {
          if (auto P = pathOf(Obj))
            Sp.This = P->Str;
        }
        Args.erase(Args.begin());
      }
      for (unsigned I = 0; I < EntryFn->getNumParams(); ++I) {
        QualType PT = EntryFn->getParamDecl(I)->getType();
        std::string B;
        bool Distinct = false;
        const Expr *A = I < Args.size() ? Args[I] : (I == 0 ? Param : nullptr);
        if (A) {
          bool IsRef = false;
          const Expr *U = unwrapRef(A, &IsRef);
          // std::thread copies its arguments: only std::ref and pointers share.
          if (PT->isReferenceType() && (IsRef || Param))
            B = bindingFor(PT, U);
          else if (PT->isPointerType() || (Param && A == Param))
            B = bindingFor(Param && A == Param ? TU.Ctx.VoidPtrTy : PT, U);
          Distinct = distinctPerIteration(A, Loop);
        }
        Sp.Args.push_back(B);
        Sp.ArgDistinct.push_back(Distinct);
      }
    }
    if (Sp.Entry.empty())
      return; // An entry we cannot name: nothing to link.
    target(At).Spawns.push_back(std::move(Sp));
  }
  if (!Synchronous)
    State.Live.insert(Id);
}

void FunctionSummarizer::applyCalleeLockEffects(const FunctionDecl *Callee,
                                                const std::vector<std::string> &Args,
                                                const std::string &This, FlowState &State) {
  const FunctionSummary *CS = TU.summarize(Callee);
  LockSet Acq;
  std::vector<std::string> Rel;
  if (CS) {
    Acq = CS->AcquiredOnExit;
    Rel = CS->ReleasedOnExit;
  } else {
    // No body here: thread-safety annotations still tell the effect.
    FunctionSummary Tmp;
    for (const auto *A : Callee->specific_attrs<AcquireCapabilityAttr>()) {
      for (const Expr *Arg : A->args())
        if (std::string L = lockPath(Arg, Arg->getType()->isPointerType()); !L.empty())
          Acq[L] = A->isShared();
      if (A->args_size() == 0)
        Acq["T:"] = A->isShared();
    }
    for (const auto *A : Callee->specific_attrs<ReleaseCapabilityAttr>()) {
      for (const Expr *Arg : A->args())
        if (std::string L = lockPath(Arg, Arg->getType()->isPointerType()); !L.empty())
          Rel.push_back(L);
      if (A->args_size() == 0)
        Rel.push_back("T:");
    }
  }
  for (auto &[L, Shared] : Acq) {
    std::string Sub = paths::substitute(L, Args, This);
    acquire(Sub, Shared, State);
  }
  for (const std::string &L : Rel)
    release(paths::substitute(L, Args, This), State);
}

void FunctionSummarizer::userCall(const FunctionDecl *Callee, const Expr *Object,
                                  bool ObjectIsPointer, llvm::ArrayRef<const Expr *> Args,
                                  const FlowState &State, const Stmt *At, FlowState *Mutable,
                                  const std::string &ExtraLock) {
  CallEvent C;
  C.Callee = TU.keyOf(Callee);
  const Stmt *Loop = innermostLoop(At);
  C.InLoop = Loop != nullptr;
  if (Loop && Recording)
    C.Repeat = repeatAround(At);
  for (unsigned I = 0; I < Callee->getNumParams() && I < Args.size(); ++I) {
    C.Args.push_back(bindingFor(Callee->getParamDecl(I)->getType(), Args[I]));
    C.ArgDistinct.push_back(distinctPerIteration(Args[I], Loop));
  }
  const auto *MD = dyn_cast<CXXMethodDecl>(Callee);
  if (MD && MD->getParent()->isLambda()) {
    C.This = "T:"; // A lambda's `this` is the enclosing object.
  } else if (Object) {
    llvm::SaveAndRestore<bool> Guard(IgnoreEscape, true);
    auto P = ObjectIsPointer ? pointeeOf(Object) : pathOf(Object);
    if (P)
      C.This = P->Str;
    else if (isa<CXXThisExpr>(strip(Object)))
      C.This = "T:";
  }
  if (Mutable) {
    // A function returning a lock guard: held while the result lives.
    const GuardRule *ReturnsGuard = TU.Rules.guard(TU.className(Callee->getReturnType()));
    const ValueDecl *Result = ReturnsGuard ? boundVar(At) : nullptr;
    if (!ReturnsGuard || Result) {
      LockSet Before = Mutable->Held;
      applyCalleeLockEffects(Callee, C.Args, C.This, *Mutable);
      if (Result) {
        GuardState G;
        G.Owns = true;
        G.Shared = ReturnsGuard->Shared;
        for (auto &[L, Sh] : Mutable->Held)
          if (!Before.count(L))
            G.Locks.push_back(L);
        Mutable->Guards[Result] = G;
      }
    }
    if (const FunctionSummary *CS = TU.summarize(Callee))
      for (unsigned I : CS->JoinsParams)
        if (I < Args.size())
          join(handleVar(Args[I]), *Mutable);
  }
  if (!Recording)
    return;
  C.EffectsApplied = Mutable && (TU.summarize(Callee) || Callee->hasAttrs());
  C.Omp.Phase = State.OmpPhase;
  for (const OmpNode *N = ompOf(At); N && !N->isRegion(); N = N->Parent)
    if (N->OnceId) {
      C.Omp.OnceId = N->OnceId;
      break;
    }
  C.Locks = locksFor(At, State);
  if (!ExtraLock.empty())
    C.Locks[ExtraLock] = false;
  FunctionSummary &T = target(At);
  if (&T == &S)
    C.LiveSpawns.assign(State.Live.begin(), State.Live.end());
  C.Pos = TU.pos(At->getBeginLoc());
  C.Order = order(At);
  T.Calls.push_back(std::move(C));
}

static bool isReadOnlyMethodName(llvm::StringRef N) {
  static const char *const Names[] = {
      "begin", "end",   "cbegin", "cend",     "rbegin", "rend",   "size",  "empty",
      "find",  "count", "contains", "at",     "front",  "back",   "data",  "c_str",
      "length", "capacity", "lower_bound", "upper_bound", "equal_range", "str", "get",
      "load", "operator bool", "operator->", "operator*", "compare", "substr"};
  for (const char *X : Names)
    if (N == X)
      return true;
  return false;
}

void FunctionSummarizer::libraryCall(const FunctionDecl *Callee, const Expr *Object,
                                     llvm::ArrayRef<const Expr *> Args, const FlowState &State,
                                     const Stmt *At) {
  std::string N = TU.qualName(Callee);
  if (N == "std::move" || N == "std::forward" || N == "std::ref" || N == "std::cref" ||
      N == "std::addressof" || N == "std::as_const")
    return;
  if (Object) {
    QualType T = Object->getType();
    bool Ptr = T->isPointerType();
    if (!isSyncType(Ptr ? T->getPointeeType() : T)) {
      const auto *MD = cast<CXXMethodDecl>(Callee);
      bool Write = !MD->isConst() && !isReadOnlyMethodName(MD->getNameAsString());
      if (auto P = Ptr ? pointeeOf(Object) : pathOf(Object)) {
        (void)P;
        access(Object, Write, State);
      }
    } else if (isAtomicType(Ptr ? T->getPointeeType() : T)) {
      // Atomic operations: recorded so that mixed atomic/plain use is visible.
      const auto *MD = cast<CXXMethodDecl>(Callee);
      access(Object, !MD->isConst(), State, /*ForceAtomic=*/true);
    }
  }
  const FunctionDecl *Pattern = Callee->getTemplateInstantiationPattern();
  for (unsigned I = 0; I < Callee->getNumParams() && I < Args.size(); ++I) {
    QualType PT = Callee->getParamDecl(I)->getType();
    if (Pattern && I < Pattern->getNumParams() &&
        Pattern->getParamDecl(I)->getType()->isRValueReferenceType())
      continue; // Forwarding references do not access.
    if (PT->isLValueReferenceType()) {
      if (!PT.getNonReferenceType().isConstQualified() &&
          !isSyncType(PT.getNonReferenceType()))
        access(Args[I], true, State);
    } else if (PT->isPointerType() && !PT->getPointeeType()->isFunctionType()) {
      QualType Pointee = PT->getPointeeType();
      if (isSyncType(Pointee) || isSyncType(strip(Args[I])->getType()))
        continue; // pthread_mutex_init(&m), sem_init(&s): not data.
      const Expr *A = strip(Args[I]);
      std::optional<ExprPath> P = pointeeOf(A);
      if (!P)
        continue;
      bool Write = !Pointee.isConstQualified();
      // Pointee of a decayed array or &x: access the object itself.
      if (const auto *UO = dyn_cast<UnaryOperator>(A); UO && UO->getOpcode() == UO_AddrOf)
        access(UO->getSubExpr(), Write, State);
    }
  }
}

void FunctionSummarizer::handleCall(const CallExpr *CE, FlowState &State) {
  const FunctionDecl *Callee = CE->getDirectCallee();
  if (!Callee)
    return;
  const std::string &N = TU.qualName(Callee);
  if (Callee->getBuiltinID() &&
      (llvm::StringRef(N).starts_with("__sync_") || llvm::StringRef(N).starts_with("__atomic_"))) {
    // GCC atomic builtins: an atomic access to what the first argument points to.
    if (CE->getNumArgs() >= 1)
      if (const auto *UO = dyn_cast<UnaryOperator>(strip(CE->getArg(0)));
          UO && UO->getOpcode() == UO_AddrOf)
        access(UO->getSubExpr(), true, State, /*ForceAtomic=*/true);
    return;
  }
  const Expr *Object = nullptr;
  bool ObjectIsPointer = false;
  std::vector<const Expr *> Args(CE->arg_begin(), CE->arg_end());
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(CE)) {
    Object = MC->getImplicitObjectArgument();
    ObjectIsPointer = Object && Object->getType()->isPointerType();
  } else if (const auto *OC = dyn_cast<CXXOperatorCallExpr>(CE);
             OC && isa<CXXMethodDecl>(Callee) && !Args.empty()) {
    Object = Args.front();
    Args.erase(Args.begin());
  }
  auto ArgAt = [&](int I) -> const Expr * {
    if (I == ThisArg)
      return Object;
    if (I >= 0 && static_cast<size_t>(I) < Args.size())
      return Args[I];
    return nullptr;
  };

  // Threads.
  if (const ThreadRule *R = TU.Rules.threadFunction(N)) {
    if (R->PolicyArg >= 0) {
      // std::async(policy, f, ...) starts a thread only with launch::async.
      const Expr *Policy = ArgAt(R->PolicyArg);
      bool HasPolicy = Policy && TU.className(Policy->getType()) == "std::launch";
      if (!HasPolicy)
        return; // Default policy: may be deferred; not modelled as a thread.
      bool Async = false;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(strip(Policy)))
        Async = DRE->getDecl()->getNameAsString() == "async";
      if (!Async)
        return;
    }
    std::vector<const Expr *> Fwd;
    if (R->FirstForwardedArg >= 0)
      for (size_t I = R->FirstForwardedArg; I < Args.size(); ++I)
        Fwd.push_back(Args[I]);
    const ValueDecl *Handle =
        R->HandleArg == NoArg ? boundVar(CE) : handleVar(ArgAt(R->HandleArg));
    if (const Expr *Entry = ArgAt(R->EntryArg))
      spawn(*R, CE, Entry, Fwd, R->ParamArg >= 0 ? ArgAt(R->ParamArg) : nullptr, Handle, State);
    return;
  }
  if (Object) {
    // Spawning through a container: threads.emplace_back(f, args...).
    std::string MName = Callee->getNameAsString();
    if (MName == "emplace_back" || MName == "emplace" || MName == "emplace_front") {
      QualType CT = Object->getType();
      if (CT->isPointerType())
        CT = CT->getPointeeType();
      if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(
              CT->getAsCXXRecordDecl())) {
        const TemplateArgumentList &TA = Spec->getTemplateArgs();
        if (TA.size() >= 1 && TA[0].getKind() == TemplateArgument::Type)
          if (const ThreadRule *R =
                  TU.Rules.threadConstructor(TU.className(TA[0].getAsType()))) {
            if (!Args.empty()) {
              std::vector<const Expr *> Fwd(Args.begin() + 1, Args.end());
              spawn(*R, CE, Args.front(), Fwd, nullptr, handleVar(Object), State);
              return;
            }
          }
      }
    }
  }
  // Joins.
  if (const JoinRule *J = TU.Rules.join(N)) {
    join(handleVar(ArgAt(J->HandleArg)), State);
    return;
  }
  // RAII guard methods: unique_lock::unlock()/lock()/release().
  if (Object) {
    std::string Cls = TU.className(Object->getType());
    if (const GuardRule *G = TU.Rules.guard(Cls)) {
      (void)G;
      const ValueDecl *V = handleVar(Object);
      auto It = V ? State.Guards.find(V) : State.Guards.end();
      if (It != State.Guards.end()) {
        std::string M = Callee->getNameAsString();
        if (M == "unlock") {
          for (const std::string &Lk : It->second.Locks)
            release(Lk, State);
          It->second.Owns = false;
        } else if (M == "lock") {
          for (const std::string &Lk : It->second.Locks)
            acquire(Lk, It->second.Shared, State);
          It->second.Owns = true;
        } else if (M == "release") {
          State.Guards.erase(It);
        }
      }
      return;
    }
  }
  // Locks.
  if (const LockRule *L = TU.Rules.lock(N)) {
    const Expr *LE = ArgAt(L->LockArg);
    if (!LE)
      return;
    std::string Lock = lockPath(LE, LE->getType()->isPointerType());
    switch (L->Action) {
    case LockAction::Acquire:
      acquire(Lock, false, State);
      break;
    case LockAction::AcquireShared:
      acquire(Lock, true, State);
      break;
    case LockAction::Release:
      release(Lock, State);
      break;
    case LockAction::TryAcquire:
    case LockAction::TryAcquireShared:
      break; // Handled on the branch edges.
    }
    return;
  }
  // call_once: the callable runs serialized with the other callers.
  if (const OnceRule *O = TU.Rules.once(N)) {
    const Expr *Flag = ArgAt(O->FlagArg);
    const Expr *Fn = ArgAt(O->CallableArg);
    if (!Flag || !Fn)
      return;
    std::string OnceLock = lockPath(Flag, Flag->getType()->isPointerType());
    if (OnceLock.empty())
      OnceLock = "G:once";
    OnceLock += "|once";
    const Expr *F = unwrapRef(Fn);
    if (const auto *UO = dyn_cast<UnaryOperator>(F); UO && UO->getOpcode() == UO_AddrOf)
      F = strip(UO->getSubExpr());
    const FunctionDecl *Target = nullptr;
    if (const auto *L = dyn_cast<LambdaExpr>(F))
      Target = L->getCallOperator();
    else if (const auto *DRE = dyn_cast<DeclRefExpr>(F))
      Target = dyn_cast<FunctionDecl>(DRE->getDecl());
    if (Target && Target->hasBody()) {
      std::vector<const Expr *> Rest;
      for (size_t I = O->CallableArg + 1; I < Args.size(); ++I)
        Rest.push_back(Args[I]);
      userCall(Target, nullptr, false, Rest, State, CE, nullptr, OnceLock);
    }
    return;
  }
  if (TU.Rules.blocking(N) || TU.Rules.cpuHeavy(N)) {
    // Not a data access by itself; other checks read these.
  }
  bool Library = TU.isSystem(Callee) || Callee->isImplicit() || Callee->isDefaulted();
  if (Library) {
    libraryCall(Callee, Object, Args, State, CE);
    return;
  }
  userCall(Callee, Object, ObjectIsPointer, Args, State, CE, &State);
}

void FunctionSummarizer::handleConstruct(const CXXConstructExpr *CE, FlowState &State) {
  std::string Cls = TU.className(CE->getType());
  if (Cls.empty())
    return;
  std::vector<const Expr *> Args(CE->arg_begin(), CE->arg_end());
  if (const ThreadRule *R = TU.Rules.threadConstructor(Cls)) {
    if (Args.empty() || CE->getConstructor()->isCopyOrMoveConstructor())
      return;
    std::vector<const Expr *> Fwd;
    if (R->FirstForwardedArg >= 0)
      for (size_t I = R->FirstForwardedArg; I < Args.size(); ++I)
        Fwd.push_back(Args[I]);
    if (R->EntryArg >= 0 && static_cast<size_t>(R->EntryArg) < Args.size())
      spawn(*R, CE, Args[R->EntryArg], Fwd, nullptr, boundVar(CE), State);
    return;
  }
  if (const GuardRule *G = TU.Rules.guard(Cls)) {
    const ValueDecl *V = boundVar(CE);
    GuardState GS;
    GS.Shared = G->Shared;
    GS.Owns = true;
    bool Acquire = true;
    for (const Expr *A : Args) {
      std::string T = TU.className(A->getType());
      if (T == "std::defer_lock_t" || T == "std::try_to_lock_t") {
        Acquire = false;
        GS.Owns = false;
        continue;
      }
      if (T == "std::adopt_lock_t") {
        Acquire = false;
        continue;
      }
      // Move from another guard: take over its locks.
      if (TU.Rules.guard(T)) {
        const ValueDecl *From = handleVar(unwrapRef(A));
        auto It = From ? State.Guards.find(From) : State.Guards.end();
        if (It != State.Guards.end()) {
          GS = It->second;
          It->second.Owns = false;
          It->second.Locks.clear();
        }
        Acquire = false;
        continue;
      }
      if (!G->AllArgs && !GS.Locks.empty())
        continue; // Only the first argument is a lock; later ones are tags.
      std::string L = lockPath(A, A->getType()->isPointerType());
      if (!L.empty())
        GS.Locks.push_back(L);
    }
    if (Acquire)
      for (const std::string &L : GS.Locks)
        acquire(L, GS.Shared, State);
    if (V)
      State.Guards[V] = GS;
    return;
  }
  // std::atomic_ref<T> r(x): atomic accesses to x.
  if (TU.Rules.isAtomicType(Cls)) {
    for (const Expr *A : Args)
      if (A->isLValue())
        access(A, true, State, /*ForceAtomic=*/true);
    return;
  }
  // Other library constructors reading shared objects (copies).
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!TU.isSystem(Ctor) && !Ctor->isImplicit() && !Ctor->isDefaulted() && Ctor->hasBody()) {
    if (const ValueDecl *V = boundVar(CE)) {
      // Constructing a local: the constructor's accesses are to a private object.
      (void)V;
    }
    return;
  }
  if (Ctor->isCopyOrMoveConstructor() && Args.size() == 1)
    access(Args[0], Ctor->isMoveConstructor(), State);
}

} // namespace

//===----------------------------------------------------------------------===//
// TU driver
//===----------------------------------------------------------------------===//

const FunctionSummary *TUSummarizer::summarize(const FunctionDecl *FD) {
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def)
    return nullptr;
  FD = Def;
  if (FD->isDependentContext() || isSystem(FD) || FD->isInvalidDecl())
    return nullptr;
  const std::string K = keyOf(FD);
  int St = State.lookup(FD);
  if (St == 2)
    return &Out.Functions[K];
  if (St == 1)
    return nullptr; // Recursion: no lock effects from an unfinished summary.
  State[FD] = 1;
  FunctionSummary Tmp;
  FunctionSummarizer(*this, FD, Tmp).run();
  FunctionSummary &Slot = Out.Functions[K];
  Slot = std::move(Tmp);
  State[FD] = 2;
  return &Slot;
}

namespace {
class FunctionCollector : public RecursiveASTVisitor<FunctionCollector> {
public:
  explicit FunctionCollector(std::vector<const FunctionDecl *> &Out) : Out(Out) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return false; }
  bool VisitFunctionDecl(FunctionDecl *FD) {
    if (FD->doesThisDeclarationHaveABody() && !FD->isDependentContext())
      Out.push_back(FD);
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr *L) {
    if (!L->getCallOperator()->isDependentContext())
      Out.push_back(L->getCallOperator());
    return true;
  }

private:
  std::vector<const FunctionDecl *> &Out;
};
} // namespace

void TUSummarizer::run() {
  const SourceManager &SM = Ctx.getSourceManager();
  if (auto FE = SM.getFileEntryRefForID(SM.getMainFileID())) {
    llvm::SmallString<256> Abs(FE->getName());
    SM.getFileManager().makeAbsolutePath(Abs);
    llvm::sys::path::remove_dots(Abs, true);
    Out.MainFile = Abs.str().str();
    Out.Files.push_back(Out.MainFile);
  }
  for (auto It = SM.fileinfo_begin(), E = SM.fileinfo_end(); It != E; ++It) {
    llvm::SmallString<256> Abs(It->first.getName());
    SM.getFileManager().makeAbsolutePath(Abs);
    // Not "..": /lib/gcc/x/12/../../../../include is /usr/include when /lib
    // is a symbolic link, and these names must stay readable.
    llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/false);
    if (Abs != Out.MainFile)
      Out.Files.push_back(Abs.str().str());
  }
  std::sort(Out.Files.begin() + !Out.MainFile.empty(), Out.Files.end());
  std::vector<const FunctionDecl *> Fns;
  FunctionCollector C(Fns);
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    SourceLocation L = SM.getExpansionLoc(D->getLocation());
    if (L.isValid() && SM.isInSystemHeader(L))
      continue;
    C.TraverseDecl(D);
  }
  for (const FunctionDecl *FD : Fns)
    summarize(FD);
}

} // namespace threadwise
