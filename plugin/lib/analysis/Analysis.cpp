//===- Analysis.cpp - Entry points (stub until the analysis lands) --------===//
#include "threadwise/Analysis.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"

namespace threadwise {

struct TUSummary {};

void TUSummaryDeleter::operator()(TUSummary *S) const { delete S; }

TUSummaryPtr summarizeTranslationUnit(clang::ASTContext &, const RuleSet &) {
  return TUSummaryPtr(new TUSummary());
}

namespace {
class SummaryConsumer : public clang::ASTConsumer {
public:
  SummaryConsumer(const RuleSet &Rules, std::function<void(TUSummaryPtr)> Done)
      : Rules(Rules), Done(std::move(Done)) {}
  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    Done(summarizeTranslationUnit(Ctx, Rules));
  }

private:
  const RuleSet &Rules;
  std::function<void(TUSummaryPtr)> Done;
};
} // namespace

std::unique_ptr<clang::ASTConsumer>
makeSummaryConsumer(const RuleSet &Rules, std::function<void(TUSummaryPtr)> Done) {
  return std::make_unique<SummaryConsumer>(Rules, std::move(Done));
}

std::vector<Finding> analyzeProgram(llvm::ArrayRef<const TUSummary *>, const RuleSet &,
                                    const CheckFilter &) {
  return {};
}

} // namespace threadwise
