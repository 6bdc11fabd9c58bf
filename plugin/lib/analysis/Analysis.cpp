//===- Analysis.cpp - Entry points of the analysis library ----------------===//
#include "threadwise/Analysis.h"
#include "Check.h"
#include "Program.h"
#include "Summarizer.h"
#include "ThreadInventory.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Support/Format.h"
#include <atomic>
#include <chrono>

namespace threadwise {

void TUSummaryDeleter::operator()(TUSummary *S) const { delete S; }

static std::atomic<uint64_t> SummarizeNanos{0};

double summarizeSecondsTotal() { return SummarizeNanos.load() / 1e9; }

TUSummaryPtr summarizeTranslationUnit(clang::ASTContext &Ctx, const RuleSet &Rules) {
  auto Start = std::chrono::steady_clock::now();
  TUSummaryPtr Out(new TUSummary());
  TUSummarizer(Ctx, Rules, *Out).run();
  SummarizeNanos += std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::steady_clock::now() - Start)
                        .count();
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
                                    const CheckFilter &Checks, CheckProfile *Profile,
                                    const CheckOptions &Options) {
  std::vector<Finding> Out;
  std::vector<std::pair<const char *, std::unique_ptr<ProgramCheck>>> Enabled;
  for (const CheckInfo *C : Checks.enabledChecks())
    if (auto Impl = createCheck(C->Name)) {
      Impl->setOptions(Options);
      Enabled.emplace_back(C->Name, std::move(Impl));
    }
  if (Enabled.empty())
    return Out;
  std::optional<CheckProfile::Scope> Link(std::in_place, Profile, "link (whole program)");
  ProgramModel Program(TUs, Rules);
  Link.reset();
  for (auto &[Name, Impl] : Enabled) {
    CheckProfile::Scope S(Profile, std::string("check: ") + Name);
    Impl->run(Program, Out);
  }
  sortAndUnique(Out);
  return Out;
}

std::vector<ThreadEntryInfo> inventoryThreads(llvm::ArrayRef<const TUSummary *> TUs,
                                              const RuleSet &Rules) {
  ProgramModel Program(TUs, Rules);
  return buildThreadInventory(Program);
}

} // namespace threadwise
