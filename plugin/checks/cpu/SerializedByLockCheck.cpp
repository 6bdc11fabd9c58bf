//===- SerializedByLockCheck.cpp - threadwise-cpu-serialized-by-lock ------===//
#include "SerializedByLockCheck.h"
#include <set>

namespace threadwise {

namespace {

bool concurrent(const ProgramModel &P, const ResolvedCpuRegion &A, const ResolvedCpuRegion &B) {
  auto In = [&](const std::set<unsigned> &Set, unsigned T) {
    for (unsigned Anc : P.threads()[T].Ancestors)
      if (Set.count(Anc))
        return true;
    return false;
  };
  return In(*A.Concurrent, B.Thread) || In(*B.Concurrent, A.Thread);
}

/// A lock every instance shares: exclusive, not a call_once flag, and not
/// bound to a per-instance object (`&args[i].m`).
bool sharedExclusive(const ResolvedCpuRegion &R, const std::string &L, bool Shared) {
  return !Shared && !llvm::StringRef(L).ends_with("|once") && !R.DistinctLocks.count(L);
}

} // namespace

void SerializedByLockCheck::run(const ProgramModel &P, std::vector<Finding> &Out) {
  const std::vector<ResolvedCpuRegion> &Regions = P.cpuRegions();
  std::set<std::pair<const CpuRegion *, std::string>> Reported;
  for (const ResolvedCpuRegion &R : Regions) {
    if (R.Thread == 0)
      continue; // The main thread's work is serial by construction.
    const ThreadInfo &T = P.threads()[R.Thread];
    for (const auto &[L, Shared] : R.Locks) {
      if (!sharedExclusive(R, L, Shared))
        continue;
      // Who else waits on this lock while computing?
      const ResolvedCpuRegion *Other = nullptr;
      if (!T.Multi) {
        for (const ResolvedCpuRegion &O : Regions) {
          if (O.Thread == 0 || O.Thread == R.Thread)
            continue;
          auto It = O.Locks.find(L);
          if (It == O.Locks.end() || !sharedExclusive(O, L, It->second))
            continue;
          if (concurrent(P, R, O)) {
            Other = &O;
            break;
          }
        }
        if (!Other)
          continue;
      }
      if (!Reported.insert({R.Region, L}).second)
        continue;
      std::string Lock = P.displayName(L);
      const CpuRegion &CR = *R.Region;
      Finding F;
      F.Check = Name;
      F.Pos = CR.Pos;
      std::string What = CR.K == CpuRegion::Loop ? "CPU-heavy loop"
                                                  : "CPU-heavy call to '" + CR.What + "'";
      if (T.Multi)
        F.Message = What + " runs while holding '" + Lock + "', which every instance of thread '" +
                    T.EntryName + "' takes: the threads run it one at a time";
      else
        F.Message = What + " runs while holding '" + Lock + "', which thread '" +
                    P.threads()[Other->Thread].EntryName +
                    "' also holds while computing: the threads run it one at a time";
      if (CR.K == CpuRegion::Loop)
        F.Notes.push_back({CR.Pos, "the loop " + CR.Reason});
      for (const CallChain *C = R.Chain; C; C = C->Parent)
        F.Notes.push_back(
            {C->Call->Pos, "'" + C->CalleeName + "' called from '" + C->CallerName + "' here"});
      F.Notes.push_back({T.SpawnPos, "thread '" + T.EntryName + "' started here" +
                                         (T.Multi ? "; several instances may run at once" : "")});
      if (Other) {
        const ThreadInfo &OT = P.threads()[Other->Thread];
        F.Notes.push_back({Other->Region->Pos, "thread '" + OT.EntryName + "' computes under '" +
                                                   Lock + "' here"});
      }
      F.Notes.push_back({CR.Pos, "compute into a local result and merge it under '" + Lock +
                                     "', partition the data so each thread has its own lock, "
                                     "or use processes"});
      unsigned Ordinal = 0;
      for (const CpuRegion &E : R.Function->CpuRegions)
        if (E.Order < CR.Order)
          ++Ordinal;
      F.Fingerprint = makeFingerprint(F.Check, Lock, R.Function->Name, Ordinal);
      Out.push_back(std::move(F));
    }
  }
}

} // namespace threadwise
