//===- TranslationUnitRunner.h - Summarize one TU, safely -----------------===//
//
// The one way threadwise parses a translation unit itself: `threadwise check`
// for each TU of a compile DB, the clangd proxy for an editor's unsaved
// buffer. Each run has its own ClangTool, file system and diagnostics, so
// that one TU that does not parse or crashes the analysis costs only its own
// findings, and TUs can run on several threads.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_TRANSLATIONUNITRUNNER_H
#define THREADWISE_TRANSLATIONUNITRUNNER_H

#include "threadwise/Analysis.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include <map>
#include <string>

namespace threadwise {

class PreambleCache;

struct TUResult {
  enum Status { Analysed, ParseError, Crashed };
  std::string File;
  Status State = Analysed;
  TUSummaryPtr Summary;    ///< Set only when State == Analysed.
  std::string Diagnostics; ///< The compiler's errors, formatted like clang's.
  std::string FirstError;  ///< The first error's message alone, for a log line.
};

struct TURunOptions {
  /// Applied after the compile command is found (see makeArgumentsAdjuster).
  clang::tooling::ArgumentsAdjuster Adjuster;
  bool ColorDiagnostics = false;
  /// Unsaved buffers (an editor's): absolute path -> text, read instead of
  /// the file on disk.
  std::map<std::string, std::string> UnsavedFiles;
  /// If set, the main file's preamble (its leading #includes) is parsed once
  /// and reused by later runs on the same file and flags, as clangd does.
  PreambleCache *Preambles = nullptr;
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
