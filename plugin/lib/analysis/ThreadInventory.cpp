//===- ThreadInventory.cpp - Classify each thread entry of a program ------===//
//
// A thread is CPU-bound when the functions it runs (its entry and every
// callee the linker followed, in any TU) contain CPU-heavy work (CpuFacts.cpp)
// and no blocking call from the rule packs; I/O-bound with blocking calls and
// no heavy work; mixed with both; unknown with neither. A spawn site reached
// in several contexts (its function called from two places) is one entry:
// the evidence is merged and the largest instance count kept.
//
//===----------------------------------------------------------------------===//
#include "ThreadInventory.h"
#include "Check.h"
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace threadwise {

namespace {

const char *blockingKindName(BlockingKind K) {
  switch (K) {
  case BlockingKind::IO: return "io";
  case BlockingKind::Sleep: return "sleep";
  case BlockingKind::Wait: return "wait";
  case BlockingKind::Network: return "network";
  }
  return "io";
}

void addEvidence(ThreadEntryInfo &T, ThreadEvidence E) {
  for (const ThreadEvidence &O : T.Evidence)
    if (O.K == E.K && O.Pos == E.Pos && O.What == E.What)
      return;
  T.Evidence.push_back(std::move(E));
}

} // namespace

std::vector<ThreadEntryInfo> buildThreadInventory(const ProgramModel &P) {
  std::map<unsigned, std::vector<const FunctionSummary *>> Runs;
  for (const ThreadFunction &TF : P.threadFunctions())
    Runs[TF.Thread].push_back(TF.Function);

  std::map<std::tuple<std::string, unsigned, unsigned, std::string>, ThreadEntryInfo> BySite;
  for (const ThreadInfo &T : P.threads()) {
    if (T.Id == 0)
      continue;
    auto Key = std::make_tuple(T.SpawnPos.File, T.SpawnPos.Line, T.SpawnPos.Column, T.EntryKey);
    auto [It, New] = BySite.try_emplace(Key);
    ThreadEntryInfo &E = It->second;
    if (New) {
      const FunctionSummary *Entry = P.function(T.EntryKey);
      E.Entry = T.EntryName;
      E.EntryPos = Entry ? Entry->Pos : SourcePos();
      E.SpawnedBy = T.SpawnerName;
      E.SpawnPos = T.SpawnPos;
      E.Api = T.Api;
      E.Instances = T.Instances;
      E.Repeated = T.Repeated;
      // Lambdas are named after their line; the id must not be.
      llvm::StringRef IdName = T.EntryName;
      if (IdName.starts_with("lambda at line"))
        IdName = "lambda";
      E.Id = makeFingerprint("thread", IdName, T.SpawnerName, T.Ordinal);
    } else {
      E.Instances = InstanceCount::max(E.Instances, T.Instances);
      E.Repeated = E.Repeated && T.Repeated;
    }
    for (const FunctionSummary *F : Runs[T.Id]) {
      for (const CpuRegion &R : F->CpuRegions)
        addEvidence(E, {ThreadEvidence::Cpu,
                        R.K == CpuRegion::Loop ? "heavy loop (" + R.Reason + ")"
                                               : "call to '" + R.What + "'",
                        F->Name, R.Pos});
      for (const BlockingCall &B : F->Blocking) {
        const BlockingRule *Rule = P.rules().blocking(B.Api);
        addEvidence(E, {ThreadEvidence::Blocking,
                        "'" + B.Api + "' (" + (Rule ? blockingKindName(Rule->Kind) : "io") + ")",
                        F->Name, B.Pos});
      }
    }
  }

  std::vector<ThreadEntryInfo> Out;
  for (auto &[K, E] : BySite) {
    bool Cpu = false, Blocks = false;
    for (const ThreadEvidence &Ev : E.Evidence)
      (Ev.K == ThreadEvidence::Cpu ? Cpu : Blocks) = true;
    E.Class = Cpu && Blocks ? ThreadClass::Mixed
              : Cpu         ? ThreadClass::CpuBound
              : Blocks      ? ThreadClass::IoBound
                            : ThreadClass::Unknown;
    std::stable_partition(E.Evidence.begin(), E.Evidence.end(),
                          [](const ThreadEvidence &Ev) { return Ev.K == ThreadEvidence::Cpu; });
    Out.push_back(std::move(E));
  }
  std::stable_sort(Out.begin(), Out.end(), [](const ThreadEntryInfo &A, const ThreadEntryInfo &B) {
    return A.SpawnPos < B.SpawnPos;
  });
  return Out;
}

} // namespace threadwise
