//===- TranslationUnitRunner.h - Summarize one TU, safely -----------------===//
//
// `threadwise check` parses each translation unit on its own thread, with its
// own ClangTool, file system and diagnostics, so that one TU that does not
// parse or crashes the analysis costs only its own findings.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_TOOLS_TRANSLATIONUNITRUNNER_H
#define THREADWISE_TOOLS_TRANSLATIONUNITRUNNER_H

#include "threadwise/Analysis.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <string>

namespace threadwise {

struct TUResult {
  enum Status { Analysed, ParseError, Crashed };
  std::string File;
  Status State = Analysed;
  TUSummaryPtr Summary;    ///< Set only when State == Analysed.
  std::string Diagnostics; ///< The compiler's errors, formatted like clang's.
};

struct TURunOptions {
  clang::tooling::ArgumentsAdjuster Adjuster;
  bool ColorDiagnostics = false;
};

/// Call once, before the first TU, so that crashes can be contained.
void enableCrashRecovery();

/// Parses File with its compile command from DB and summarizes it. Never
/// crashes the caller: a crash inside clang or the analysis yields Crashed.
/// Thread-safe as long as DB and Rules are not modified meanwhile.
TUResult runTranslationUnit(const clang::tooling::CompilationDatabase &DB,
                            const std::string &File, const RuleSet &Rules,
                            const TURunOptions &Opts);

} // namespace threadwise

#endif
