//===- Program.cpp - Linking summaries into threads and accesses ----------===//
#include "Program.h"
#include "Summarizer.h"
#include "llvm/ADT/StringExtras.h"
#include <algorithm>

namespace threadwise {

ProgramModel::ProgramModel(llvm::ArrayRef<const TUSummary *> TUs, const RuleSet &Rules)
    : Rules(Rules) {
  // Inline functions and templates appear in several TUs: the first wins.
  for (const TUSummary *TU : TUs) {
    for (const auto &[K, F] : TU->Functions)
      Functions.emplace(K, &F);
    for (const auto &[K, V] : TU->Variables)
      Variables.emplace(K, &V);
  }

  // Roots: main, or else every function nobody calls or starts as a thread.
  std::vector<const FunctionSummary *> Roots;
  for (const auto &[K, F] : Functions)
    if (F->IsMain)
      Roots.push_back(F);
  if (Roots.empty()) {
    std::set<std::string> Reached;
    for (const auto &[K, F] : Functions) {
      for (const CallEvent &C : F->Calls) {
        Reached.insert(C.Callee);
        for (const std::string &A : C.Args)
          if (llvm::StringRef(A).starts_with("F:"))
            Reached.insert(A.substr(2));
      }
      for (const SpawnEvent &S : F->Spawns) {
        Reached.insert(S.Entry);
        for (const std::string &A : S.Args)
          if (llvm::StringRef(A).starts_with("F:"))
            Reached.insert(A.substr(2));
      }
    }
    for (const auto &[K, F] : Functions)
      if (!Reached.count(K) && K.find("#omp") == std::string::npos)
        Roots.push_back(F);
  }
  std::sort(Roots.begin(), Roots.end(),
            [](const FunctionSummary *A, const FunctionSummary *B) { return A->Key < B->Key; });

  newThread(-1, "main", SourcePos(), false);
  for (const FunctionSummary *R : Roots) {
    Context C;
    C.Thread = 0;
    C.Concurrent = intern({});
    visit(*R, C, 0);
  }
}

const FunctionSummary *ProgramModel::function(const std::string &Key) const {
  auto It = Functions.find(Key);
  return It == Functions.end() ? nullptr : It->second;
}

const VariableInfo *ProgramModel::variable(const std::string &Key) const {
  auto It = Variables.find(Key);
  return It == Variables.end() ? nullptr : It->second;
}

unsigned ProgramModel::newThread(int Parent, const std::string &Name, const SourcePos &Pos,
                                 bool Multi) {
  ThreadInfo T;
  T.Id = static_cast<unsigned>(Threads.size());
  T.Parent = Parent;
  T.EntryName = Name;
  T.SpawnPos = Pos;
  T.Multi = Multi;
  T.Ancestors.push_back(T.Id);
  if (Parent >= 0)
    for (unsigned A : Threads[Parent].Ancestors)
      T.Ancestors.push_back(A);
  Threads.push_back(std::move(T));
  return Threads.back().Id;
}

std::shared_ptr<const std::set<unsigned>> ProgramModel::intern(std::set<unsigned> S) {
  auto It = Interned.find(S);
  if (It != Interned.end())
    return It->second;
  auto P = std::make_shared<const std::set<unsigned>>(S);
  Interned.emplace(std::move(S), P);
  return P;
}

std::string ProgramModel::bind(const std::string &Path, const Context &C, bool *Distinct) const {
  bool FromArg = false;
  unsigned Index = 0;
  std::string R = paths::substitute(Path, C.Args, C.This, &FromArg, &Index);
  if (Distinct) {
    if (FromArg)
      *Distinct = Index < C.ArgDistinct.size() && C.ArgDistinct[Index];
    else if (llvm::StringRef(Path).starts_with("T:"))
      *Distinct = C.ThisDistinct;
    else
      *Distinct = false;
  }
  return R;
}

static std::string joinKey(const std::vector<std::string> &V) {
  std::string S;
  for (const auto &X : V) {
    S += X;
    S += '\x1e';
  }
  return S;
}

std::set<unsigned> ProgramModel::visit(const FunctionSummary &F, const Context &C,
                                       unsigned Depth) {
  if (Depth > 40 || Budget == 0)
    return {};
  std::string MemoKey = F.Key + '\x1d' + std::to_string(C.Thread) + '\x1d' + joinKey(C.Args) +
                        '\x1d' + C.This + '\x1d' + (C.Repeats ? "r" : "") +
                        (C.Repeats ? C.Repeat.str() : "") + '\x1d';
  for (const auto &[L, Sh] : C.EntryLocks)
    MemoKey += L + (Sh ? "s," : ",");
  MemoKey += '\x1d';
  for (unsigned T : *C.Concurrent)
    MemoKey += std::to_string(T) + ",";
  for (bool B : C.ArgDistinct)
    MemoKey += B ? '1' : '0';
  auto M = Memo.find(MemoKey);
  if (M != Memo.end())
    return M->second;
  std::pair<std::string, unsigned> StackKey{F.Key, C.Thread};
  if (OnStack.count(StackKey))
    return {};
  OnStack.insert(StackKey);
  --Budget;

  // Threads started here, created up front: loops make a spawn live at
  // accesses that precede it in source order.
  std::map<unsigned, unsigned> SpawnThread;
  for (const SpawnEvent &S : F.Spawns) {
    std::string EntryKey = S.Entry;
    if (paths::isBindable(EntryKey)) {
      std::string B = bind(EntryKey, C, nullptr);
      EntryKey = llvm::StringRef(B).starts_with("F:") ? B.substr(2) : "";
    }
    const FunctionSummary *E = EntryKey.empty() ? nullptr : function(EntryKey);
    if (!E)
      continue;
    std::string Name = S.EntryName;
    if (paths::isBindable(S.Entry) || Name.empty())
      Name = E->Name;
    bool Multi = S.Multi || (C.Repeats && S.Escapes) || Threads[C.Thread].Multi;
    unsigned Id = newThread(static_cast<int>(C.Thread), Name, S.Pos, Multi);
    SpawnThread[S.Id] = Id;
    ThreadInfo &T = Threads[Id];
    T.EntryKey = E->Key;
    T.Api = S.Api;
    T.SpawnerName = F.Name;
    for (const SpawnEvent &O : F.Spawns)
      if (O.Entry == S.Entry && O.Order < S.Order)
        ++T.Ordinal;
    // Each instance of the spawning thread starts its own; a loop around the
    // spawn (or around the calls reaching it) multiplies them when the
    // threads outlive an iteration.
    T.Instances = S.Multi ? S.Repeat : InstanceCount();
    if (C.Repeats && S.Escapes)
      T.Instances = InstanceCount::times(T.Instances, C.Repeat);
    T.Instances = InstanceCount::times(T.Instances, Threads[C.Thread].Instances);
    T.Repeated = !S.Multi && !S.Synchronous && S.Repeat.K != InstanceCount::One &&
                 T.Instances.K == InstanceCount::One;
  }

  // Escaped threads of callees are live after the call, in source order.
  std::vector<std::pair<unsigned, std::set<unsigned>>> EscapedAfter;
  std::set<unsigned> Escaped;

  auto ConcurrentAt = [&](const std::vector<unsigned> &Live, unsigned Order) {
    std::set<unsigned> S = *C.Concurrent;
    for (unsigned Id : Live) {
      auto It = SpawnThread.find(Id);
      if (It != SpawnThread.end())
        S.insert(It->second);
    }
    for (const auto &[O, Ts] : EscapedAfter)
      if (O < Order)
        S.insert(Ts.begin(), Ts.end());
    return intern(std::move(S));
  };
  // Lock effects of callees in other TUs (lock()/unlock() wrappers), which
  // the summarizer could not apply: taken in source order after the call.
  std::vector<std::pair<unsigned, std::pair<LockSet, std::vector<std::string>>>> LockEffects;
  auto BindLocks = [&](const LockSet &Local, unsigned Order) {
    LockSet L = C.EntryLocks;
    for (const auto &[K, Sh] : Local) {
      std::string B = bind(K, C, nullptr);
      if (!B.empty())
        L[B] = Sh;
    }
    for (const auto &[O, Effect] : LockEffects) {
      if (O >= Order)
        break;
      for (const auto &[K, Sh] : Effect.first)
        L[K] = Sh;
      for (const std::string &K : Effect.second)
        L.erase(K);
    }
    return L;
  };

  // CPU work and the locks around it (issue 5's checks read these).
  if (ThreadFunctionSeen.insert({C.Thread, &F}).second)
    ThreadFunctions.push_back({C.Thread, &F});
  for (const CpuRegion &CR : F.CpuRegions) {
    ResolvedCpuRegion R;
    R.Region = &CR;
    R.Function = &F;
    R.Thread = C.Thread;
    R.Locks = C.EntryLocks;
    R.DistinctLocks = C.DistinctLocks;
    for (const auto &[K, Sh] : CR.Locks) {
      bool D = false;
      std::string B = bind(K, C, &D);
      if (B.empty())
        continue;
      R.Locks[B] = Sh;
      if (D)
        R.DistinctLocks.insert(B);
    }
    R.Concurrent = C.Concurrent;
    R.Chain = C.Chain;
    CpuRegions.push_back(std::move(R));
  }
  // Walk events in source order so escaping threads are seen by later events.
  struct Ev {
    unsigned Order;
    int Kind; // 0 call, 1 spawn, 2 access
    size_t Index;
  };
  std::vector<Ev> Events;
  for (size_t I = 0; I < F.Calls.size(); ++I)
    Events.push_back({F.Calls[I].Order, 0, I});
  for (size_t I = 0; I < F.Spawns.size(); ++I)
    Events.push_back({F.Spawns[I].Order, 1, I});
  for (size_t I = 0; I < F.Accesses.size(); ++I)
    Events.push_back({F.Accesses[I].Order, 2, I});
  std::stable_sort(Events.begin(), Events.end(),
                   [](const Ev &A, const Ev &B) { return A.Order < B.Order; });

  for (const Ev &E : Events) {
    if (E.Kind == 2) {
      const AccessEvent &A = F.Accesses[E.Index];
      ResolvedAccess R;
      R.Path = bind(A.Path, C, &R.Distinct);
      if (R.Path.empty() || llvm::StringRef(R.Path).starts_with("F:"))
        continue;
      R.Event = &A;
      R.Function = &F;
      R.Thread = C.Thread;
      R.Locks = BindLocks(A.Locks, A.Order);
      R.Concurrent = ConcurrentAt(A.LiveSpawns, A.Order);
      R.Chain = C.Chain;
      R.OmpPhase = C.InOmp ? C.OmpPhase : A.Omp.Phase;
      R.OmpOnce = !C.OmpOnce.empty() ? C.OmpOnce
                  : A.Omp.OnceId    ? F.Key + "#" + std::to_string(A.Omp.OnceId)
                                    : "";
      if (llvm::StringRef(R.Path).starts_with("L:") || llvm::StringRef(R.Path).starts_with("H:")) {
        llvm::StringRef Owner = paths::root(R.Path).drop_front(2).rsplit(':').first;
        R.FrameLocal = Owner == F.Key;
        for (const CallChain *Ch = C.Chain; Ch && !R.FrameLocal; Ch = Ch->Parent)
          R.FrameLocal = Owner == Ch->CallerKey;
      }
      const IndexTag &T = A.Omp.Index;
      if (T.K == IndexTag::ThreadId) {
        if (T.Var == "omp")
          R.IndexDistinct = true;
        else if (T.Var.size() > 1 && T.Var[0] == 'P') {
          unsigned I = 0;
          if (!llvm::StringRef(T.Var).drop_front().getAsInteger(10, I))
            R.IndexDistinct = I < C.ArgDistinct.size() && C.ArgDistinct[I];
        }
      }
      Accesses.push_back(std::move(R));
      continue;
    }
    if (E.Kind == 0) {
      const CallEvent &Call = F.Calls[E.Index];
      const FunctionSummary *Callee = function(Call.Callee);
      if (!Callee)
        continue;
      Context CC;
      CC.Thread = C.Thread;
      for (size_t I = 0; I < Call.Args.size(); ++I) {
        bool D = false;
        std::string B = Call.Args[I].empty() ? "" : bind(Call.Args[I], C, &D);
        CC.Args.push_back(B);
        CC.ArgDistinct.push_back(D || (I < Call.ArgDistinct.size() && Call.ArgDistinct[I]));
      }
      CC.This = Call.This.empty() ? "" : bind(Call.This, C, &CC.ThisDistinct);
      CC.EntryLocks = BindLocks(Call.Locks, Call.Order);
      CC.DistinctLocks = C.DistinctLocks;
      for (const auto &[K, Sh] : Call.Locks) {
        bool D = false;
        if (std::string B = bind(K, C, &D); !B.empty() && D)
          CC.DistinctLocks.insert(B);
      }
      CC.Concurrent = ConcurrentAt(Call.LiveSpawns, Call.Order);
      CC.Repeats = C.Repeats || Call.InLoop;
      CC.Repeat = Call.InLoop ? InstanceCount::times(C.Repeat, Call.Repeat) : C.Repeat;
      CC.InOmp = C.InOmp || F.Key.find("#omp") != std::string::npos;
      CC.OmpPhase = C.InOmp ? C.OmpPhase : Call.Omp.Phase;
      CC.OmpOnce = !C.OmpOnce.empty() ? C.OmpOnce
                   : Call.Omp.OnceId ? F.Key + "#" + std::to_string(Call.Omp.OnceId)
                                     : "";
      Chains.push_back({&Call, F.Name, F.Key, Callee->Name, C.Chain});
      CC.Chain = &Chains.back();
      if (!Call.EffectsApplied &&
          (!Callee->AcquiredOnExit.empty() || !Callee->ReleasedOnExit.empty())) {
        std::pair<LockSet, std::vector<std::string>> Effect;
        for (const auto &[K, Sh] : Callee->AcquiredOnExit)
          if (std::string B = paths::substitute(K, CC.Args, CC.This); !B.empty())
            Effect.first[B] = Sh;
        for (const std::string &K : Callee->ReleasedOnExit)
          if (std::string B = paths::substitute(K, CC.Args, CC.This); !B.empty())
            Effect.second.push_back(B);
        LockEffects.push_back({Call.Order, std::move(Effect)});
      }
      std::set<unsigned> Out = visit(*Callee, CC, Depth + 1);
      if (!Out.empty()) {
        EscapedAfter.push_back({Call.Order, Out});
        Escaped.insert(Out.begin(), Out.end());
      }
      continue;
    }
    const SpawnEvent &S = F.Spawns[E.Index];
    auto It = SpawnThread.find(S.Id);
    if (It == SpawnThread.end())
      continue;
    std::string EntryKey = S.Entry;
    if (paths::isBindable(EntryKey))
      EntryKey = bind(EntryKey, C, nullptr).substr(2);
    const FunctionSummary *Entry = function(EntryKey);
    Context TC;
    TC.Thread = It->second;
    for (size_t I = 0; I < S.Args.size(); ++I) {
      bool D = false;
      std::string B = S.Args[I].empty() ? "" : bind(S.Args[I], C, &D);
      TC.Args.push_back(B);
      TC.ArgDistinct.push_back(D || (I < S.ArgDistinct.size() && S.ArgDistinct[I]));
    }
    TC.This = S.This.empty() ? "" : bind(S.This, C, &TC.ThisDistinct);
    TC.Concurrent = ConcurrentAt(S.LiveSpawns, S.Order);
    std::set<unsigned> Inner = visit(*Entry, TC, Depth + 1);
    if (S.Escapes && !S.Synchronous) {
      Escaped.insert(It->second);
      Escaped.insert(Inner.begin(), Inner.end());
    }
  }

  OnStack.erase(StackKey);
  Memo[MemoKey] = Escaped;
  return Escaped;
}

bool ProgramModel::mayRunConcurrently(const ResolvedAccess &A, const ResolvedAccess &B) const {
  // Each thread's own locals and own allocations are distinct objects, even
  // when the same code (and so the same path) creates them in two threads.
  if (A.FrameLocal && B.FrameLocal)
    return false;
  if (A.Thread == B.Thread) {
    if (!Threads[A.Thread].Multi)
      return false;
    // Two instances of one thread: unless each works on its own object...
    if ((A.Distinct && B.Distinct) || (A.FrameLocal && B.FrameLocal))
      return false;
    // ... or OpenMP keeps them apart.
    const OmpScope &X = A.Event->Omp, &Y = B.Event->Omp;
    if (A.OmpPhase != B.OmpPhase)
      return false;
    if (!A.OmpOnce.empty() && A.OmpOnce == B.OmpOnce)
      return false;
    if (X.Index.K == IndexTag::LoopVar && X.Index == Y.Index)
      return false;
    if (A.IndexDistinct && B.IndexDistinct && X.Index == Y.Index)
      return false;
    return true;
  }
  auto In = [&](const std::set<unsigned> &Set, unsigned T) {
    for (unsigned Anc : Threads[T].Ancestors)
      if (Set.count(Anc))
        return true;
    return false;
  };
  return In(*A.Concurrent, B.Thread) || In(*B.Concurrent, A.Thread);
}

std::set<std::string> ProgramModel::effectiveLocks(const ResolvedAccess &A) {
  std::set<std::string> L;
  for (const auto &[K, Shared] : A.Locks)
    if (!Shared || !A.Event->IsWrite)
      L.insert(K);
  return L;
}

std::string ProgramModel::displayName(llvm::StringRef Path) const {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Path.split(Parts, '|');
  for (auto It = Parts.rbegin(); It != Parts.rend(); ++It)
    if (It->starts_with("."))
      return It->drop_front().str();
  llvm::StringRef Root = Parts.front();
  if (Root.consume_front("G:")) {
    if (const VariableInfo *V = variable(Root.str()))
      return V->Name;
    return Root.rsplit('@').second.empty() ? Root.str() : Root.rsplit('@').second.str();
  }
  if (Root.consume_front("L:"))
    return Root.rsplit(':').second.rsplit('@').first.str();
  if (Root.starts_with("H:"))
    return "heap object allocated at line " + Root.rsplit(':').second.split('@').first.str();
  return "object";
}

} // namespace threadwise
