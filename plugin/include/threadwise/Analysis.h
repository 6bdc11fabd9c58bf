//===- Analysis.h - The threadwise analysis, as front ends see it ---------===//
//
// Two steps, so that the whole-program part can run over many TUs:
//  1. summarizeTranslationUnit: walk one TU's AST and CFGs and record, per
//     function, its shared-memory accesses, the locks held at each, its calls,
//     thread spawns and joins (flow-sensitive). Needs the AST.
//  2. analyzeProgram: link any number of TU summaries (one for the plugin, the
//     whole compile DB for `threadwise check`) and run the enabled checks.
//
//===----------------------------------------------------------------------===//
#ifndef THREADWISE_ANALYSIS_H
#define THREADWISE_ANALYSIS_H

#include "threadwise/CheckProfile.h"
#include "threadwise/Checks.h"
#include "threadwise/Finding.h"
#include "threadwise/Rules.h"
#include "threadwise/Threads.h"
#include "llvm/ADT/ArrayRef.h"
#include <functional>
#include <memory>

namespace clang {
class ASTConsumer;
class ASTContext;
} // namespace clang

namespace threadwise {

struct TUSummary; // Defined in threadwise/Summary.h.

struct TUSummaryDeleter {
  void operator()(TUSummary *S) const;
};
using TUSummaryPtr = std::unique_ptr<TUSummary, TUSummaryDeleter>;

/// Step 1. Never throws; code it does not understand is skipped.
TUSummaryPtr summarizeTranslationUnit(clang::ASTContext &Ctx, const RuleSet &Rules);

/// An ASTConsumer that runs step 1 and hands the summary to Done.
std::unique_ptr<clang::ASTConsumer>
makeSummaryConsumer(const RuleSet &Rules, std::function<void(TUSummaryPtr)> Done);

/// Step 2. Findings are sorted and de-duplicated. Options are clang-tidy
/// style `<check>.<Option>` keys (.threadwise.yaml CheckOptions). With a
/// Profile, the link and each check are timed into it.
std::vector<Finding> analyzeProgram(llvm::ArrayRef<const TUSummary *> TUs,
                                    const RuleSet &Rules, const CheckFilter &Checks,
                                    CheckProfile *Profile = nullptr,
                                    const CheckOptions &Options = {});

/// Step 2 for `--threads`: every thread entry the linked program starts,
/// classified (threadwise/Threads.h), sorted by spawn site.
std::vector<ThreadEntryInfo> inventoryThreads(llvm::ArrayRef<const TUSummary *> TUs,
                                              const RuleSet &Rules);

} // namespace threadwise

#endif
