//===- Checks.h - The registry of threadwise checks -----------------------===//
//
// One registry that every front end (the command, the -fplugin, the clang-tidy
// module, the language server) consults for names, descriptions and the
// clang-tidy style glob that enables them.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CHECKS_H
#define THREADWISE_CHECKS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <map>
#include <string>
#include <vector>

namespace threadwise {

/// `<check-name>.<Option>` -> value, as in .clang-tidy's CheckOptions.
using CheckOptions = std::map<std::string, std::string>;

struct CheckInfo {
  const char *Name;        ///< threadwise-<group>-<name>
  const char *Summary;     ///< One line, shown by --list-checks and in SARIF.
  const char *Description; ///< A paragraph for SARIF fullDescription.
};

/// Every check threadwise knows, in a stable order.
llvm::ArrayRef<CheckInfo> allChecks();
const CheckInfo *findCheck(llvm::StringRef Name);
/// Link to the check's documentation page (docs/checks/<name>.md).
std::string checkDocURL(llvm::StringRef Name);

/// clang-tidy's glob syntax: comma-separated globs, '-' negates, later wins.
class CheckFilter {
public:
  /// The default enables every check ("threadwise-*").
  CheckFilter();
  static llvm::Expected<CheckFilter> parse(llvm::StringRef Globs);
  bool isEnabled(llvm::StringRef CheckName) const;
  /// The glob that decides CheckName (the last that matches, with its '-'),
  /// or "" when none does (the check is then disabled).
  std::string decidingGlob(llvm::StringRef CheckName) const;
  std::vector<const CheckInfo *> enabledChecks() const;

private:
  struct Glob {
    bool Positive;
    std::string Pattern;
  };
  std::vector<Glob> Globs;
};

} // namespace threadwise

#endif
