//===- ApiWithoutGilCheck.h - threadwise-python-api-without-gil -----------===//
//
// Finds Python C-API calls (Py*, reference counting) between
// Py_BEGIN_ALLOW_THREADS and Py_END_ALLOW_THREADS, where the thread does not
// hold the GIL. See docs/checks/threadwise-python-api-without-gil.md.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CHECKS_PYTHON_APIWITHOUTGILCHECK_H
#define THREADWISE_CHECKS_PYTHON_APIWITHOUTGILCHECK_H

#include "analysis/Check.h"

namespace threadwise {

class ApiWithoutGilCheck : public ProgramCheck {
public:
  static constexpr const char *Name = "threadwise-python-api-without-gil";
  void run(const ProgramModel &Program, std::vector<Finding> &Out) override;
};

} // namespace threadwise

#endif
