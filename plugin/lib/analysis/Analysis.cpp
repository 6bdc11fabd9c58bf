//===- Analysis.cpp - Entry points of the analysis library ----------------===//
#include "threadwise/Analysis.h"
#include "Check.h"
#include "Program.h"
#include "Summarizer.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Support/Format.h"

namespace threadwise {

void TUSummaryDeleter::operator()(TUSummary *S) const { delete S; }

TUSummaryPtr summarizeTranslationUnit(clang::ASTContext &Ctx, const RuleSet &Rules) {
  TUSummaryPtr Out(new TUSummary());
  TUSummarizer(Ctx, Rules, *Out).run();
  return Out;
}

namespace {
class SummaryConsumer : public clang::ASTConsumer {
public:
  SummaryConsumer(const RuleSet &Rules, std::function<void(TUSummaryPtr)> Done)
      : Rules(Rules), Done(std::move(Done)) {}
  void HandleTranslationUnit(clang::ASTContext &Ctx) override {
    // A TU with errors has a partial AST; its summary would mislead.
    if (Ctx.getDiagnostics().hasErrorOccurred())
      return;
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

std::string makeFingerprint(llvm::StringRef Check, llvm::StringRef Variable,
                            llvm::StringRef Function, unsigned Ordinal) {
  std::string Key = (Check + "\n" + Variable + "\n" + Function + "\n").str() +
                    std::to_string(Ordinal);
  uint64_t H = llvm::xxh3_64bits(llvm::StringRef(Key));
  std::string Out;
  llvm::raw_string_ostream OS(Out);
  OS << llvm::format_hex_no_prefix(H, 16);
  return Out;
}

std::vector<Finding> analyzeProgram(llvm::ArrayRef<const TUSummary *> TUs, const RuleSet &Rules,
                                    const CheckFilter &Checks) {
  std::vector<Finding> Out;
  std::vector<std::unique_ptr<ProgramCheck>> Enabled;
  for (const CheckInfo *C : Checks.enabledChecks())
    if (auto Impl = createCheck(C->Name))
      Enabled.push_back(std::move(Impl));
  if (Enabled.empty())
    return Out;
  ProgramModel Program(TUs, Rules);
  for (auto &C : Enabled)
    C->run(Program, Out);
  sortAndUnique(Out);
  return Out;
}

} // namespace threadwise
