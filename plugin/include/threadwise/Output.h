//===- Output.h - Findings as text, JSON and SARIF ------------------------===//
//
// Pure writers over a list of findings, shared by every front end that prints
// findings itself (the command, later the clang-tidy module and the language
// server). The -fplugin does not use them: it hands findings to clang's own
// DiagnosticsEngine instead.
//
// Formats are documented for users in docs/usage.md.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_OUTPUT_H
#define THREADWISE_OUTPUT_H

#include "threadwise/Checks.h"
#include "threadwise/Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace threadwise {

/// A translation unit whose findings are missing: it did not parse, or the
/// analysis crashed on it.
struct ToolError {
  std::string File;
  std::string Message;
};

struct OutputOptions {
  /// ANSI colours like clang's on a terminal (text only).
  bool Color = false;
  /// Print the source line and caret under each location (text only).
  bool ShowSource = true;
  /// SARIF: file URIs under this directory are written relative to it, with
  /// uriBaseId "%SRCROOT%"; Code Quality paths are relative to it. Empty:
  /// every URI is absolute.
  std::string SourceRoot;
  std::string ToolVersion;
  /// The checks that ran; SARIF lists them as rules. Empty: the findings'
  /// own checks.
  std::vector<const CheckInfo *> EnabledChecks;
  std::vector<ToolError> Errors;
  /// --warnings-as-errors: findings of these checks are errors (text:
  /// `error: ... [check,-warnings-as-errors]`, SARIF level "error").
  const CheckFilter *WarningsAsErrors = nullptr;
};

/// clang's diagnostic format: `file:line:col: warning: message [check]`, the
/// source line with a caret, `note:` lines, and fix-its under the caret.
void writeText(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
               const OutputOptions &Opts);

/// `{"version": 1, "tool": ..., "findings": [...], "errors": [...]}`.
void writeJSON(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
               const OutputOptions &Opts);

/// SARIF 2.1.0, one run, one result per finding.
void writeSARIF(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                const OutputOptions &Opts);

/// GitLab Code Quality (Code Climate issues): description, check_name,
/// fingerprint, severity ("major", "critical" for --warnings-as-errors) and
/// location.path relative to SourceRoot with lines.begin.
void writeCodeClimate(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                      const OutputOptions &Opts);

/// A file:// URI for an absolute path, percent-encoding what RFC 3986 needs.
std::string fileURI(llvm::StringRef AbsPath);

/// Path relative to Root if it lies under Root (URI-encoded, '/'-separated),
/// else the empty string.
std::string relativeURI(llvm::StringRef AbsPath, llvm::StringRef Root);

} // namespace threadwise

#endif
