//===- ExplainConfig.cpp - Why each check is on or off (--explain-config) -===//
//
// The same decision the command makes: --checks, when given, replaces every
// file's Checks; otherwise the globs of the applicable .threadwise.yaml
// files, outermost first, and the last glob that matches a check wins.
//
//===----------------------------------------------------------------------===//
#include "ExplainConfig.h"
#include "threadwise/Checks.h"
#include "llvm/Support/Format.h"

namespace threadwise {
namespace {

struct Decision {
  std::string Glob;   ///< "" when no glob matched.
  std::string Source; ///< Human-readable origin of Glob.
};

std::string fileSource(llvm::StringRef Origin, llvm::StringRef Key,
                       const CommandLineSettings &Flags) {
  if (Origin.empty())
    return "built-in default";
  if (!Flags.ConfigFile.empty())
    return (Origin + " (" + Key + ", --config-file)").str();
  return (Origin + " (" + Key + ")").str();
}

llvm::Expected<Decision> decide(llvm::StringRef Check, llvm::ArrayRef<ChecksLayer> Layers,
                                const CommandLineSettings &Flags) {
  Decision D;
  for (const ChecksLayer &L : Layers) {
    llvm::Expected<CheckFilter> F = CheckFilter::parse(L.Globs);
    if (!F)
      return F.takeError();
    std::string G = F->decidingGlob(Check);
    if (!G.empty())
      D = {G, Flags.Checks ? std::string("--checks (command line)")
                           : fileSource(L.Origin, "Checks", Flags)};
  }
  if (D.Glob.empty())
    D.Source = "no glob matches";
  return D;
}

} // namespace

llvm::Error explainConfig(llvm::raw_ostream &OS, llvm::StringRef Target, const Config &C,
                          const CommandLineSettings &Flags) {
  OS << "Configuration for " << Target << "\n";
  if (!Flags.ConfigFile.empty())
    OS << "  configuration file: " << Flags.ConfigFile << " (--config-file)\n";
  else if (C.Sources.empty())
    OS << "  configuration files: none found (defaults)\n";
  else
    for (const std::string &S : C.Sources)
      OS << "  configuration file: " << S << "\n";
  if (Flags.Checks)
    OS << "  --checks on the command line replaces every file's Checks\n";

  std::vector<ChecksLayer> Layers =
      Flags.Checks ? std::vector<ChecksLayer>{{*Flags.Checks, "--checks"}} : C.ChecksLayers;
  size_t Width = 0;
  for (const CheckInfo &CI : allChecks())
    Width = std::max(Width, llvm::StringRef(CI.Name).size());
  OS << "\nChecks:\n";
  for (const CheckInfo &CI : allChecks()) {
    llvm::Expected<Decision> D = decide(CI.Name, Layers, Flags);
    if (!D)
      return D.takeError();
    bool Enabled = !D->Glob.empty() && D->Glob[0] != '-';
    OS << "  " << llvm::left_justify(CI.Name, Width) << "  "
       << llvm::left_justify(Enabled ? "enabled" : "disabled", 8) << "  ";
    if (D->Glob.empty())
      OS << D->Source << "\n";
    else
      OS << "by '" << D->Glob << "' from " << D->Source << "\n";
  }

  OS << "\nCheck options:\n";
  if (C.CheckOptions.empty())
    OS << "  none set\n";
  for (const auto &[Key, Value] : C.CheckOptions) {
    auto It = C.CheckOptionOrigins.find(Key);
    OS << "  " << Key << ": '" << Value << "' from "
       << fileSource(It == C.CheckOptionOrigins.end() ? "" : It->second, "CheckOptions", Flags)
       << "\n";
  }

  OS << "\nWarnings as errors:\n";
  if (!Flags.WarningsAsErrors) {
    OS << "  none (no --warnings-as-errors)\n";
  } else {
    llvm::Expected<CheckFilter> F = CheckFilter::parse(*Flags.WarningsAsErrors);
    if (!F)
      return F.takeError();
    bool Any = false;
    for (const CheckInfo &CI : allChecks()) {
      std::string G = F->decidingGlob(CI.Name);
      if (G.empty() || G[0] == '-')
        continue;
      Any = true;
      OS << "  " << llvm::left_justify(CI.Name, Width) << "  by '" << G
         << "' from --warnings-as-errors (command line)\n";
    }
    if (!Any)
      OS << "  none (--warnings-as-errors matches no check)\n";
  }

  if (!C.ExcludePaths.empty()) {
    OS << "\nExcluded paths (findings there are dropped):\n";
    for (const ExcludeGlob &E : C.ExcludePaths)
      OS << "  '" << E.Pattern << "' relative to " << E.BaseDir << " from "
         << fileSource(E.Origin, "ExcludePaths", Flags) << "\n";
  }
  return llvm::Error::success();
}

} // namespace threadwise
