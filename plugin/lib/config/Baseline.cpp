//===- Baseline.cpp - Known findings, so that CI fails only on new ones ---===//
#include "threadwise/Baseline.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>
#include <tuple>

namespace threadwise {

std::string pathRelativeToRoot(llvm::StringRef AbsPath, llvm::StringRef Root) {
  llvm::StringRef Rel = AbsPath;
  if (!Root.empty() && Rel.consume_front(Root) &&
      (Root.back() == '/' || Rel.consume_front("/")))
    return llvm::sys::path::convert_to_slash(Rel);
  return AbsPath.str();
}

BaselineEntry baselineEntryFor(const Finding &F, llvm::StringRef SourceRoot) {
  return {F.Check, F.Fingerprint, pathRelativeToRoot(F.Pos.File, SourceRoot), F.Message};
}

void writeBaseline(llvm::raw_ostream &OS, llvm::ArrayRef<Finding> Findings,
                   llvm::StringRef SourceRoot) {
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("version", 1);
    J.attributeArray("findings", [&] {
      for (const Finding &F : Findings) {
        BaselineEntry E = baselineEntryFor(F, SourceRoot);
        J.object([&] {
          J.attribute("check", E.Check);
          J.attribute("fingerprint", E.Fingerprint);
          J.attribute("file", E.File);
          J.attribute("message", E.Message);
        });
      }
    });
  });
  OS << "\n";
}

llvm::Expected<std::vector<BaselineEntry>> parseBaseline(llvm::StringRef JSONText) {
  llvm::Expected<llvm::json::Value> V = llvm::json::parse(JSONText);
  if (!V)
    return V.takeError();
  auto Bad = [](const llvm::Twine &Why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "not a threadwise baseline: " + Why);
  };
  const llvm::json::Object *Root = V->getAsObject();
  if (!Root)
    return Bad("not a JSON object");
  std::optional<int64_t> Version = Root->getInteger("version");
  if (!Version || *Version != 1)
    return Bad("unsupported or missing \"version\" (expected 1)");
  const llvm::json::Array *List = Root->getArray("findings");
  if (!List)
    return Bad("no \"findings\" array");
  std::vector<BaselineEntry> Out;
  for (const llvm::json::Value &Item : *List) {
    const llvm::json::Object *O = Item.getAsObject();
    if (!O)
      return Bad("a finding is not an object");
    auto Str = [&](llvm::StringRef Key) {
      return O->getString(Key).value_or("").str();
    };
    BaselineEntry E{Str("check"), Str("fingerprint"), Str("file"), Str("message")};
    if (E.Check.empty() || E.Fingerprint.empty())
      return Bad("a finding lacks \"check\" or \"fingerprint\"");
    Out.push_back(std::move(E));
  }
  return Out;
}

llvm::Expected<std::vector<BaselineEntry>> readBaseline(llvm::StringRef Path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf = llvm::MemoryBuffer::getFile(Path);
  if (!Buf)
    return llvm::createStringError(Buf.getError(), "cannot read '" + Path + "': " +
                                                       Buf.getError().message());
  return parseBaseline((*Buf)->getBuffer());
}

std::vector<BaselineEntry> applyBaseline(std::vector<Finding> &Findings,
                                         llvm::ArrayRef<BaselineEntry> Baseline,
                                         llvm::StringRef SourceRoot) {
  using Key = std::tuple<std::string, std::string, std::string>;
  std::map<Key, std::vector<size_t>> Unmatched; // Entry indices, per key.
  for (size_t I = 0; I < Baseline.size(); ++I)
    Unmatched[{Baseline[I].Check, Baseline[I].Fingerprint, Baseline[I].File}].push_back(I);
  llvm::erase_if(Findings, [&](const Finding &F) {
    BaselineEntry E = baselineEntryFor(F, SourceRoot);
    auto It = Unmatched.find({E.Check, E.Fingerprint, E.File});
    if (It == Unmatched.end() || It->second.empty())
      return false;
    It->second.pop_back();
    return true;
  });
  std::vector<size_t> Fixed;
  for (auto &[K, Indices] : Unmatched)
    Fixed.insert(Fixed.end(), Indices.begin(), Indices.end());
  llvm::sort(Fixed);
  std::vector<BaselineEntry> Out;
  for (size_t I : Fixed)
    Out.push_back(Baseline[I]);
  return Out;
}

} // namespace threadwise
