//===- GilHeldCpuLoopCheck.h - threadwise-python-gil-held-cpu-loop --------===//
//
// Finds CPU-heavy loops that a CPython extension runs with the GIL held, in
// functions Python calls (PyMethodDef tables, type slots) or their callees.
// See docs/checks/threadwise-python-gil-held-cpu-loop.md.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CHECKS_PYTHON_GILHELDCPULOOPCHECK_H
#define THREADWISE_CHECKS_PYTHON_GILHELDCPULOOPCHECK_H

#include "analysis/Check.h"

namespace threadwise {

class GilHeldCpuLoopCheck : public ProgramCheck {
public:
  static constexpr const char *Name = "threadwise-python-gil-held-cpu-loop";
  void run(const ProgramModel &Program, std::vector<Finding> &Out) override;
};

/// True when source order Order lies in a Py_BEGIN/END_ALLOW_THREADS region.
const GilReleasedRange *gilReleasedAt(const FunctionSummary &F, unsigned Order);

} // namespace threadwise

#endif
