//===- HeaderFilter.cpp - --header-filter, --exclude-header-filter --------===//
#include "HeaderFilter.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Regex.h"

namespace threadwise {

llvm::Expected<size_t> filterHeaderFindings(std::vector<Finding> &Findings,
                                            llvm::ArrayRef<std::string> MainFiles,
                                            const std::string &HeaderRegex,
                                            const std::string &ExcludeRegex) {
  llvm::Regex Header(HeaderRegex), Exclude(ExcludeRegex);
  std::string Err;
  if (!HeaderRegex.empty() && !Header.isValid(Err))
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "--header-filter: " + Err);
  if (!ExcludeRegex.empty() && !Exclude.isValid(Err))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "--exclude-header-filter: " + Err);
  llvm::StringSet<> Main;
  for (const std::string &F : MainFiles)
    Main.insert(F);
  size_t Before = Findings.size();
  llvm::erase_if(Findings, [&](const Finding &F) {
    if (Main.count(F.Pos.File))
      return false;
    bool Shown = !HeaderRegex.empty() && Header.match(F.Pos.File);
    if (Shown && !ExcludeRegex.empty() && Exclude.match(F.Pos.File))
      Shown = false;
    return !Shown;
  });
  return Before - Findings.size();
}

} // namespace threadwise
