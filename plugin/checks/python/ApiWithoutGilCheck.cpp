//===- ApiWithoutGilCheck.cpp - threadwise-python-api-without-gil ---------===//
#include "ApiWithoutGilCheck.h"
#include "GilHeldCpuLoopCheck.h"
#include <set>

namespace threadwise {

void ApiWithoutGilCheck::run(const ProgramModel &P, std::vector<Finding> &Out) {
  std::set<const FunctionSummary *> Seen;
  for (const ThreadFunction &TF : P.threadFunctions()) {
    const FunctionSummary &F = *TF.Function;
    if (!Seen.insert(&F).second)
      continue;
    unsigned Ordinal = 0;
    for (const BlockingCall &C : F.PythonApiCalls) {
      const GilReleasedRange *G = gilReleasedAt(F, C.Order);
      if (!G)
        continue;
      Finding Fd;
      Fd.Check = Name;
      Fd.Pos = C.Pos;
      Fd.Message = "Python C-API call '" + C.Api + "' while the GIL is released";
      Fd.Notes.push_back({G->Pos, "the GIL is released here (Py_BEGIN_ALLOW_THREADS)"});
      Fd.Notes.push_back({C.Pos, "move the call after Py_END_ALLOW_THREADS, or wrap it in "
                                 "PyGILState_Ensure/PyGILState_Release"});
      Fd.Fingerprint = makeFingerprint(Fd.Check, C.Api, F.Name, Ordinal++);
      Out.push_back(std::move(Fd));
    }
  }
}

} // namespace threadwise
