//===- UnprotectedWriteCheck.cpp - threadwise-race-unprotected-write ------===//
#include "UnprotectedWriteCheck.h"
#include <algorithm>
#include <map>
#include <unordered_map>

namespace threadwise {

namespace {

/// Races are reported at the unprotected write (CONVENTIONS): with two writes,
/// the one holding fewer locks, then the one in a spawned thread, then the
/// first in source order.
bool preferAsPrimary(const ResolvedAccess &A, const ResolvedAccess &B) {
  if (A.Event->IsWrite != B.Event->IsWrite)
    return A.Event->IsWrite;
  if (A.Locks.size() != B.Locks.size())
    return A.Locks.size() < B.Locks.size();
  if ((A.Thread != 0) != (B.Thread != 0))
    return A.Thread != 0;
  return A.Event->Pos < B.Event->Pos;
}

std::string lockList(const ProgramModel &P, const LockSet &Locks) {
  std::string S;
  for (const auto &[L, Shared] : Locks) {
    if (llvm::StringRef(L).ends_with("|once"))
      continue;
    if (!S.empty())
      S += ", ";
    S += "'" + P.displayName(L) + "'" + (Shared ? " (shared)" : "");
  }
  return S;
}

std::string threadPhrase(const ProgramModel &P, const ResolvedAccess &A,
                         const ResolvedAccess &Primary) {
  const ThreadInfo &T = P.threads()[A.Thread];
  if (A.Thread == Primary.Thread)
    return "in another instance of thread '" + T.EntryName + "'";
  if (A.Thread == 0)
    return "in the main thread";
  return "in thread '" + T.EntryName + "'";
}

/// A variable or field on the path is annotated threadwise::benign_race.
bool isBenign(const ProgramModel &P, llvm::StringRef Path) {
  llvm::SmallVector<llvm::StringRef, 4> Parts;
  Path.split(Parts, '|');
  for (llvm::StringRef Part : Parts)
    if (Part.consume_front("G:") || Part.consume_front("."))
      if (const VariableInfo *V = P.variable(Part.str()); V && V->Benign)
        return true;
  return false;
}

struct Race {
  const ResolvedAccess *Primary;
  const ResolvedAccess *Other;
};

} // namespace

void UnprotectedWriteCheck::run(const ProgramModel &P, std::vector<Finding> &Out) {
  // Group by location; only locations with a plain write can race.
  std::unordered_map<std::string, std::vector<const ResolvedAccess *>> ByPath;
  for (const ResolvedAccess &A : P.accesses())
    ByPath[A.Path].push_back(&A);

  for (auto &[Path, List] : ByPath) {
    if (std::none_of(List.begin(), List.end(), [](const ResolvedAccess *A) {
          return A->Event->IsWrite && !A->Event->IsAtomic;
        }))
      continue;
    if (isBenign(P, Path))
      continue;
    // Best conflicting access per primary write position.
    std::map<std::pair<const AccessEvent *, const FunctionSummary *>, Race> Races;
    const size_t Cap = 4000;
    size_t N = std::min(List.size(), Cap);
    for (size_t I = 0; I < N; ++I) {
      const ResolvedAccess &A = *List[I];
      for (size_t J = I; J < N; ++J) {
        const ResolvedAccess &B = *List[J];
        if (!A.Event->IsWrite && !B.Event->IsWrite)
          continue;
        if (A.Event->IsAtomic && B.Event->IsAtomic)
          continue;
        if (!P.mayRunConcurrently(A, B))
          continue;
        std::set<std::string> LA = ProgramModel::effectiveLocks(A),
                              LB = ProgramModel::effectiveLocks(B);
        if (std::any_of(LA.begin(), LA.end(), [&](const std::string &L) { return LB.count(L); }))
          continue;
        const ResolvedAccess *Pri = preferAsPrimary(A, B) ? &A : &B;
        const ResolvedAccess *Oth = Pri == &A ? &B : &A;
        if (!Pri->Event->IsWrite || Pri->Event->IsAtomic)
          continue;
        auto Key = std::make_pair(Pri->Event, Pri->Function);
        auto It = Races.find(Key);
        if (It == Races.end()) {
          Races.insert({Key, {Pri, Oth}});
        } else {
          // Prefer a conflicting write, then another thread over a second instance.
          const ResolvedAccess *Cur = It->second.Other;
          bool Better = (Oth->Event->IsWrite && !Cur->Event->IsWrite) ||
                        (Oth->Event->IsWrite == Cur->Event->IsWrite &&
                         Cur->Thread == It->second.Primary->Thread &&
                         Oth->Thread != Pri->Thread);
          if (Better)
            It->second = {Pri, Oth};
        }
      }
    }
    if (Races.empty())
      continue;
    // A read-modify-write without the lock races with the locked writes twice:
    // as a write (reported there) and as a read. Report it once, at the
    // unprotected write, not again at every locked write it reads against.
    std::set<const FunctionSummary *> UnprotectedWriters;
    for (auto &[Key, R] : Races)
      UnprotectedWriters.insert(R.Primary->Function);
    for (auto It = Races.begin(); It != Races.end();) {
      const Race &R = It->second;
      bool Redundant = !R.Other->Event->IsWrite &&
                       R.Other->Locks.size() < R.Primary->Locks.size() &&
                       UnprotectedWriters.count(R.Other->Function) &&
                       R.Other->Function != R.Primary->Function;
      It = Redundant ? Races.erase(It) : std::next(It);
    }

    // "written under m in K of N places": over distinct write positions.
    std::map<std::pair<std::string, unsigned>, std::set<std::string>> WriteLocks;
    for (const ResolvedAccess *A : List)
      if (A->Event->IsWrite) {
        auto &Set = WriteLocks[{A->Event->Pos.File, A->Event->Pos.Line * 1000 + A->Event->Pos.Column}];
        std::set<std::string> L = ProgramModel::effectiveLocks(*A);
        if (Set.empty())
          Set = L;
        else {
          std::set<std::string> Common;
          for (const std::string &X : Set)
            if (L.count(X))
              Common.insert(X);
          Set = Common;
        }
      }
    std::map<std::string, unsigned> LockCount;
    for (auto &[Pos, Locks] : WriteLocks)
      for (const std::string &L : Locks)
        ++LockCount[L];

    std::string VarName = P.displayName(Path);
    for (auto &[Key, R] : Races) {
      const ResolvedAccess &Pri = *R.Primary, &Oth = *R.Other;
      Finding F;
      F.Check = Name;
      F.Pos = Pri.Event->Pos;
      F.Message = "unprotected write to shared variable '" + VarName + "' races with a concurrent " +
                  (Oth.Event->IsWrite ? "write" : "read");
      std::string OtherLocks = lockList(P, Oth.Locks);
      F.Notes.push_back({Oth.Event->Pos, std::string("conflicting ") +
                                             (Oth.Event->IsWrite ? "write" : "read") + " of '" +
                                             VarName + "' " + threadPhrase(P, Oth, Pri) +
                                             (OtherLocks.empty() ? " (no lock held)"
                                                                 : ", holding " + OtherLocks)});
      std::string OwnLocks = lockList(P, Pri.Locks);
      if (!OwnLocks.empty())
        F.Notes.push_back({Pri.Event->Pos, "this write holds " + OwnLocks +
                                               ", which the conflicting access does not"});
      for (const CallChain *C = Pri.Chain; C; C = C->Parent)
        F.Notes.push_back({C->Call->Pos, "'" + C->CalleeName + "' called from '" +
                                             C->CallerName + "' here"});
      std::set<unsigned> Shown;
      for (unsigned T : {Pri.Thread, Oth.Thread}) {
        if (T == 0 || !Shown.insert(T).second)
          continue;
        const ThreadInfo &TI = P.threads()[T];
        F.Notes.push_back({TI.SpawnPos, "thread '" + TI.EntryName + "' started here" +
                                            (TI.Multi ? "; several instances may run at once"
                                                      : "")});
      }
      std::set<std::string> Held = ProgramModel::effectiveLocks(Pri);
      for (const auto &[L, Count] : LockCount)
        if (!Held.count(L) && Count * 2 > WriteLocks.size() && Count >= 2) {
          F.Notes.push_back({Pri.Event->Pos, "'" + VarName + "' is written under '" +
                                                 P.displayName(L) + "' in " +
                                                 std::to_string(Count) + " of " +
                                                 std::to_string(WriteLocks.size()) + " places"});
          break;
        }
      // A scalar counter or flag: offer std::atomic / _Atomic.
      if (llvm::StringRef(Path).starts_with("G:") && !llvm::StringRef(Path).contains('|')) {
        const VariableInfo *V = P.variable(Path.substr(2));
        if (V && V->ScalarFixable) {
          F.Fixes.push_back(V->AtomicFix);
          F.FixDescription = "declare '" + VarName + "' as '" + V->AtomicFix.Replacement + "'";
        }
      }
      unsigned Ordinal = 0;
      for (const AccessEvent &E : Pri.Function->Accesses)
        if (&E != Pri.Event && E.Path == Pri.Event->Path && E.IsWrite && E.Order < Pri.Event->Order)
          ++Ordinal;
      F.Fingerprint = makeFingerprint(F.Check, VarName, Pri.Function->Name, Ordinal);
      Out.push_back(std::move(F));
    }
  }
}

} // namespace threadwise
