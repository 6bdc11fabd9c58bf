//===- Config.h - .threadwise.yaml, found like .clang-tidy ----------------===//
//
// A source file's configuration is the nearest .threadwise.yaml in its
// directory or a parent; with `InheritParentConfig: true` it is layered on top
// of the next one up. Keys:
//   Checks: 'threadwise-*,-threadwise-cpu-*'   clang-tidy globs, appended to
//                                              the parent's when inheriting
//   CheckOptions: {key: value}                 per-check options (child wins)
//   Rules: [rules/extra.yaml]                  rule packs, relative to the file
//   ExcludePaths: ['third_party/*']            findings there are dropped;
//                                              globs relative to the file's dir
//   InheritParentConfig: true
// Command-line --checks wins over every file, as in clang-tidy.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_CONFIG_H
#define THREADWISE_CONFIG_H

#include "threadwise/Finding.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace threadwise {

constexpr const char *ConfigFileName = ".threadwise.yaml";

struct ExcludeGlob {
  std::string Pattern;
  std::string BaseDir; ///< The directory of the file that listed it.
  std::string Origin;  ///< That file.
};

/// Where a part of a configuration came from: a file, or "" for the
/// built-in default (for --explain-config).
struct ChecksLayer {
  std::string Globs;
  std::string Origin;
};

/// The effective configuration for one source file.
struct Config {
  std::string Checks = "threadwise-*";
  /// Checks as the files wrote it, outermost first (Checks joins them).
  std::vector<ChecksLayer> ChecksLayers = {{"threadwise-*", ""}};
  std::map<std::string, std::string> CheckOptions;
  std::map<std::string, std::string> CheckOptionOrigins; ///< Option -> file that set it.
  std::vector<std::string> Rules; ///< Absolute paths.
  std::vector<ExcludeGlob> ExcludePaths;
  std::vector<std::string> Sources; ///< The files it was read from, outermost first.

  /// True if AbsPath matches one of ExcludePaths (relative to its base
  /// directory, or as an absolute path).
  bool isExcluded(llvm::StringRef AbsPath) const;
  /// The effective config as YAML (what --dump-config prints).
  void dump(llvm::raw_ostream &OS) const;
};

/// Parses one file's text and layers it over Parent (when it inherits) or
/// over the defaults. Dir resolves relative Rules and ExcludePaths; Origin
/// (the file's path) is recorded for --explain-config.
llvm::Expected<Config> parseConfig(llvm::StringRef YAML, llvm::StringRef Dir,
                                   const Config *Parent, bool &Inherits,
                                   llvm::StringRef Origin = "");

/// Finds and caches configs per directory.
class ConfigProvider {
public:
  /// ExplicitFile: --config-file, used for every source file instead of the
  /// hierarchy.
  explicit ConfigProvider(std::string ExplicitFile = "");
  /// The config for a source file (absolute or relative to the current dir).
  llvm::Expected<const Config *> forFile(llvm::StringRef File);
  /// The config for a directory.
  llvm::Expected<const Config *> forDirectory(llvm::StringRef Dir);

private:
  std::string ExplicitFile;
  llvm::StringMap<std::unique_ptr<Config>> ByDir;
  std::unique_ptr<Config> Explicit;
};

/// Drops the findings whose primary location's config excludes its path or
/// disables its check (the latter only when --checks was not given).
/// Returns how many were dropped.
llvm::Expected<size_t> filterByConfig(std::vector<Finding> &Findings, ConfigProvider &Configs,
                                      bool ChecksFromCommandLine);

} // namespace threadwise

#endif
