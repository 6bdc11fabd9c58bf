//===- CodeClimateOutput.cpp - Findings as GitLab Code Quality JSON -------===//
//
// GitLab's Code Quality widget reads a subset of the Code Climate issue
// format: an array of issues with description, check_name, fingerprint,
// severity and a location whose path is relative to the repository. The
// fingerprint is threadwise's own (CONVENTIONS), so GitLab's "new / fixed"
// comparison between branches agrees with --baseline.
//
//===----------------------------------------------------------------------===//
#include "ValidUTF8.h"
#include "threadwise/Output.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

namespace threadwise {

/// Path relative to Root when it lies under it ('/'-separated), else as is.
static std::string repositoryPath(llvm::StringRef File, llvm::StringRef Root) {
  llvm::SmallString<256> Rel(File);
  if (!Root.empty() && llvm::sys::path::replace_path_prefix(Rel, Root, ""))
    return llvm::sys::path::convert_to_slash(llvm::StringRef(Rel).ltrim("/"));
  return File.str();
}

void writeCodeClimate(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                      const OutputOptions &Opts) {
  llvm::json::OStream J(OS, 2);
  J.array([&] {
    for (const Finding &F : Findings)
      J.object([&] {
        bool IsError = Opts.WarningsAsErrors && Opts.WarningsAsErrors->isEnabled(F.Check);
        J.attribute("type", "issue");
        J.attribute("check_name", F.Check);
        J.attribute("description", validUTF8(F.Message + " [" + F.Check + "]"));
        J.attributeArray("categories", [&] { J.value("Bug Risk"); });
        // GitLab's scale: info, minor, major, critical, blocker.
        J.attribute("severity", IsError ? "critical" : "major");
        J.attribute("fingerprint", validUTF8(F.Fingerprint));
        J.attributeObject("location", [&] {
          J.attribute("path", validUTF8(repositoryPath(F.Pos.File, Opts.SourceRoot)));
          J.attributeObject("lines", [&] { J.attribute("begin", F.Pos.Line); });
        });
      });
  });
  OS << '\n';
}

} // namespace threadwise
