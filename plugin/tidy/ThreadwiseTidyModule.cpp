//===- ThreadwiseTidyModule.cpp - threadwise as a clang-tidy module -------===//
//
//   clang-tidy-19 --load=lib/threadwise-tidy-module.so -checks='-*,threadwise-*' x.cpp
//
// The module links the shared clang-cpp and LLVM libraries that Debian's
// clang-tidy uses and takes clang-tidy's own classes from the executable that
// loads it (clang-tidy exports them), so there is one registry of each.
//
//===----------------------------------------------------------------------===//
#include "ThreadwiseCheck.h"
#include "threadwise/Checks.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/ClangTidyModuleRegistry.h"

namespace threadwise {
namespace {

class ThreadwiseTidyModule : public clang::tidy::ClangTidyModule {
public:
  void addCheckFactories(clang::tidy::ClangTidyCheckFactories &Factories) override {
    for (const CheckInfo &C : allChecks())
      Factories.registerCheckFactory(
          C.Name, [](llvm::StringRef Name, clang::tidy::ClangTidyContext *Context) {
            return std::make_unique<ThreadwiseCheck>(Name, Context);
          });
  }
};

} // namespace
} // namespace threadwise

static clang::tidy::ClangTidyModuleRegistry::Add<threadwise::ThreadwiseTidyModule>
    RegisterThreadwise("threadwise-module", "threadwise: data races and serialized CPU work");
