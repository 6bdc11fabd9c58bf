//===- ThreadwiseCheck.h - One threadwise check as a clang-tidy check -----===//
//
// Every threadwise check (threadwise/Checks.h) is registered under its own
// name, so that -checks globs, NOLINT(threadwise-...) and .clang-tidy files
// work as for any clang-tidy check. The analysis itself runs once per
// translation unit, shared by all enabled threadwise checks; each check emits
// only the findings that carry its name. See docs/ide.md.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_TIDY_THREADWISECHECK_H
#define THREADWISE_TIDY_THREADWISECHECK_H

#include "clang-tidy/ClangTidyCheck.h"

namespace threadwise {

class ThreadwiseCheck : public clang::tidy::ClangTidyCheck {
public:
  ThreadwiseCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context)
      : ClangTidyCheck(Name, Context), CheckName(Name.str()) {}
  void registerMatchers(clang::ast_matchers::MatchFinder *Finder) override;
  void check(const clang::ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  std::string CheckName;
};

} // namespace threadwise

#endif
