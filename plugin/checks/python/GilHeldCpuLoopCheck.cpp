//===- GilHeldCpuLoopCheck.cpp - threadwise-python-gil-held-cpu-loop ------===//
#include "GilHeldCpuLoopCheck.h"
#include <deque>
#include <map>
#include <set>

namespace threadwise {

const GilReleasedRange *gilReleasedAt(const FunctionSummary &F, unsigned Order) {
  for (const GilReleasedRange &G : F.GilReleased)
    if (G.Begin < Order && Order < G.End)
      return &G;
  return nullptr;
}

void GilHeldCpuLoopCheck::run(const ProgramModel &P, std::vector<Finding> &Out) {
  // Functions Python calls hold the GIL on entry; so do their callees when
  // called outside an allow-threads region. Breadth-first, so the entry named
  // in the note is a nearest one.
  std::map<const FunctionSummary *, const FunctionSummary *> EntryOf;
  std::deque<const FunctionSummary *> Work;
  for (const ThreadFunction &TF : P.threadFunctions())
    if (TF.Function->PythonEntry && EntryOf.emplace(TF.Function, TF.Function).second)
      Work.push_back(TF.Function);
  while (!Work.empty()) {
    const FunctionSummary *F = Work.front();
    Work.pop_front();
    for (const CallEvent &C : F->Calls) {
      if (gilReleasedAt(*F, C.Order))
        continue;
      const FunctionSummary *Callee = P.function(C.Callee);
      if (Callee && EntryOf.emplace(Callee, EntryOf[F]).second)
        Work.push_back(Callee);
    }
  }
  for (const auto &[F, Entry] : EntryOf) {
    unsigned Ordinal = 0;
    for (const CpuRegion &R : F->CpuRegions) {
      if (R.K != CpuRegion::Loop || R.TouchesPython || gilReleasedAt(*F, R.Order))
        continue;
      Finding Fd;
      Fd.Check = Name;
      Fd.Pos = R.Pos;
      Fd.Message = "CPU-heavy loop runs with the GIL held: Python threads calling '" +
                   Entry->Name + "' run it one at a time";
      Fd.Notes.push_back({R.Pos, "the loop " + R.Reason});
      if (Entry != F)
        Fd.Notes.push_back({Entry->Pos, "'" + Entry->Name + "' is called from Python and reaches '" +
                                           F->Name + "' with the GIL held"});
      else
        Fd.Notes.push_back({F->Pos, "'" + F->Name + "' is called from Python with the GIL held"});
      Fd.Notes.push_back({R.Pos, "copy the inputs out of Python objects, then run the loop between "
                                 "Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS"});
      Fd.Fingerprint = makeFingerprint(Fd.Check, "GIL", F->Name, Ordinal++);
      Out.push_back(std::move(Fd));
    }
  }
}

} // namespace threadwise
