//===- HeaderFilter.h - --header-filter, --exclude-header-filter ----------===//
#ifndef THREADWISE_TOOLS_HEADERFILTER_H
#define THREADWISE_TOOLS_HEADERFILTER_H

#include "threadwise/Finding.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace threadwise {

/// clang-tidy 19's rule: a finding in a main file (a TU that was checked) is
/// always kept; one in any other file (a header) only if its path matches
/// HeaderRegex and does not match ExcludeRegex (empty: excludes nothing).
/// The default HeaderRegex is empty, i.e. no header findings. Regexes are
/// POSIX extended, searched (not anchored) in the absolute path. Returns
/// how many findings were dropped.
llvm::Expected<size_t> filterHeaderFindings(std::vector<Finding> &Findings,
                                            llvm::ArrayRef<std::string> MainFiles,
                                            const std::string &HeaderRegex,
                                            const std::string &ExcludeRegex);

} // namespace threadwise

#endif
