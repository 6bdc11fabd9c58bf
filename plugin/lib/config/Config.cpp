//===- Config.cpp - .threadwise.yaml, found like .clang-tidy --------------===//
#include "threadwise/Config.h"
#include "threadwise/Checks.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/YAMLTraits.h"

namespace {
/// One file, as written.
struct RawConfig {
  std::optional<std::string> Checks;
  std::map<std::string, std::string> CheckOptions;
  std::vector<std::string> Rules;
  std::vector<std::string> ExcludePaths;
  bool InheritParentConfig = false;
};
} // namespace

LLVM_YAML_IS_STRING_MAP(std::string)

namespace llvm::yaml {
template <> struct MappingTraits<RawConfig> {
  static void mapping(IO &IO, RawConfig &C) {
    IO.mapOptional("Checks", C.Checks);
    IO.mapOptional("CheckOptions", C.CheckOptions);
    IO.mapOptional("Rules", C.Rules);
    IO.mapOptional("ExcludePaths", C.ExcludePaths);
    IO.mapOptional("InheritParentConfig", C.InheritParentConfig);
  }
};
} // namespace llvm::yaml

namespace threadwise {

namespace {
std::string absolute(llvm::StringRef Path, llvm::StringRef Base = "") {
  llvm::SmallString<256> P(Path);
  if (!Base.empty() && !llvm::sys::path::is_absolute(P))
    P = (Base + "/" + Path).str();
  llvm::sys::fs::make_absolute(P);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  return std::string(P);
}

bool globMatches(llvm::StringRef Pattern, llvm::StringRef Path) {
  llvm::Expected<llvm::GlobPattern> G = llvm::GlobPattern::create(Pattern);
  if (!G) {
    llvm::consumeError(G.takeError());
    return false;
  }
  return G->match(Path);
}
} // namespace

bool Config::isExcluded(llvm::StringRef AbsPath) const {
  for (const ExcludeGlob &E : ExcludePaths) {
    llvm::StringRef Rel = AbsPath;
    if (Rel.consume_front(E.BaseDir) && Rel.consume_front("/") && globMatches(E.Pattern, Rel))
      return true;
    if (globMatches(E.Pattern, AbsPath))
      return true;
  }
  return false;
}

void Config::dump(llvm::raw_ostream &OS) const {
  OS << "# Effective threadwise configuration";
  if (Sources.empty())
    OS << " (defaults: no " << ConfigFileName << " found)";
  OS << "\n";
  for (const std::string &S : Sources)
    OS << "# from " << S << "\n";
  RawConfig R;
  R.Checks = Checks;
  R.CheckOptions = CheckOptions;
  R.Rules = Rules;
  for (const ExcludeGlob &E : ExcludePaths)
    R.ExcludePaths.push_back(llvm::sys::path::is_absolute(E.Pattern)
                                 ? E.Pattern
                                 : E.BaseDir + "/" + E.Pattern);
  llvm::yaml::Output Out(OS);
  Out << R;
}

llvm::Expected<Config> parseConfig(llvm::StringRef YAML, llvm::StringRef Dir,
                                   const Config *Parent, bool &Inherits,
                                   llvm::StringRef Origin) {
  RawConfig R;
  llvm::yaml::Input In(YAML);
  In >> R;
  if (In.error())
    return llvm::createStringError(In.error(), "invalid configuration: " + In.error().message());
  Inherits = R.InheritParentConfig;
  Config C = (Inherits && Parent) ? *Parent : Config();
  if (R.Checks) {
    // Inheriting appends, so the child's globs win; otherwise they replace.
    C.Checks = (Inherits && Parent) ? C.Checks + "," + *R.Checks : *R.Checks;
    if (!(Inherits && Parent))
      C.ChecksLayers.clear();
    C.ChecksLayers.push_back({*R.Checks, Origin.str()});
  }
  for (auto &[K, V] : R.CheckOptions) {
    C.CheckOptions[K] = V;
    C.CheckOptionOrigins[K] = Origin.str();
  }
  for (const std::string &Rule : R.Rules)
    C.Rules.push_back(absolute(Rule, Dir));
  for (const std::string &E : R.ExcludePaths)
    C.ExcludePaths.push_back({E, absolute(Dir), Origin.str()});
  return C;
}

namespace {
llvm::Expected<Config> readConfigFile(llvm::StringRef Path, const Config *Parent,
                                      bool &Inherits) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return llvm::createStringError(Buf.getError(),
                                   "cannot read '" + Path + "': " + Buf.getError().message());
  llvm::Expected<Config> C =
      parseConfig((*Buf)->getBuffer(), llvm::sys::path::parent_path(Path), Parent, Inherits, Path);
  if (!C)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "'" + Path + "': " + llvm::toString(C.takeError()));
  C->Sources.push_back(Path.str());
  return C;
}
} // namespace

ConfigProvider::ConfigProvider(std::string ExplicitFile)
    : ExplicitFile(std::move(ExplicitFile)) {}

llvm::Expected<const Config *> ConfigProvider::forFile(llvm::StringRef File) {
  return forDirectory(llvm::sys::path::parent_path(absolute(File)));
}

llvm::Expected<const Config *> ConfigProvider::forDirectory(llvm::StringRef DirIn) {
  if (!ExplicitFile.empty()) {
    if (!Explicit) {
      bool Inherits;
      llvm::Expected<Config> C = readConfigFile(absolute(ExplicitFile), nullptr, Inherits);
      if (!C)
        return C.takeError();
      Explicit = std::make_unique<Config>(std::move(*C));
    }
    return Explicit.get();
  }
  std::string Dir = absolute(DirIn);
  auto It = ByDir.find(Dir);
  if (It != ByDir.end())
    return It->second.get();
  llvm::StringRef ParentDir = llvm::sys::path::parent_path(Dir);
  auto FromParent = [&]() -> llvm::Expected<const Config *> {
    if (ParentDir.empty() || ParentDir == Dir) {
      static const Config Defaults;
      return &Defaults;
    }
    return forDirectory(ParentDir);
  };
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, ConfigFileName);
  std::unique_ptr<Config> Result;
  if (llvm::sys::fs::exists(Path)) {
    // Parse once without a parent to learn whether it inherits.
    llvm::Expected<const Config *> Parent = FromParent();
    if (!Parent)
      return Parent.takeError();
    bool Inherits = false;
    llvm::Expected<Config> C = readConfigFile(Path, *Parent, Inherits);
    if (!C)
      return C.takeError();
    Result = std::make_unique<Config>(std::move(*C));
  } else {
    llvm::Expected<const Config *> Parent = FromParent();
    if (!Parent)
      return Parent.takeError();
    Result = std::make_unique<Config>(**Parent);
  }
  const Config *Out = Result.get();
  ByDir[Dir] = std::move(Result);
  return Out;
}

llvm::Expected<size_t> filterByConfig(std::vector<Finding> &Findings, ConfigProvider &Configs,
                                      bool ChecksFromCommandLine) {
  llvm::Error Err = llvm::Error::success();
  llvm::StringMap<CheckFilter> Filters;
  size_t Before = Findings.size();
  llvm::erase_if(Findings, [&](const Finding &F) {
    if (Err || !F.Pos.valid())
      return false;
    llvm::Expected<const Config *> C = Configs.forFile(F.Pos.File);
    if (!C) {
      Err = C.takeError();
      return false;
    }
    if ((*C)->isExcluded(F.Pos.File))
      return true;
    if (ChecksFromCommandLine)
      return false;
    auto It = Filters.find((*C)->Checks);
    if (It == Filters.end()) {
      llvm::Expected<CheckFilter> CF = CheckFilter::parse((*C)->Checks);
      if (!CF) {
        Err = CF.takeError();
        return false;
      }
      It = Filters.try_emplace((*C)->Checks, std::move(*CF)).first;
    }
    return !It->second.isEnabled(F.Check);
  });
  if (Err)
    return Err;
  return Before - Findings.size();
}

} // namespace threadwise
