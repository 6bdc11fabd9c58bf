//===- ExplainConfig.h - Why each check is on or off (--explain-config) ---===//
#ifndef THREADWISE_TOOLS_EXPLAINCONFIG_H
#define THREADWISE_TOOLS_EXPLAINCONFIG_H

#include "threadwise/Config.h"
#include <optional>

namespace threadwise {

struct CommandLineSettings {
  std::optional<std::string> Checks;           ///< --checks, if given.
  std::optional<std::string> WarningsAsErrors; ///< --warnings-as-errors, if given.
  std::string ConfigFile;                      ///< --config-file, if given.
};

/// For Target (a file or directory) and each registered check: enabled or
/// not, the glob that decided it and where that glob was written (a
/// .threadwise.yaml, --config-file, --checks, or the built-in default); then
/// the check options and --warnings-as-errors, each with its source.
/// Fails only on a malformed glob.
llvm::Error explainConfig(llvm::raw_ostream &OS, llvm::StringRef Target, const Config &C,
                          const CommandLineSettings &Flags);

} // namespace threadwise

#endif
