//===- CheckProfile.cpp - Where `threadwise check` spends its time --------===//
#include "threadwise/CheckProfile.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

namespace threadwise {

void CheckProfile::add(llvm::StringRef Phase, double Seconds, unsigned Count) {
  std::lock_guard<std::mutex> Lock(M);
  for (Entry &E : Entries)
    if (E.Name == Phase) {
      E.Seconds += Seconds;
      E.Count += Count;
      return;
    }
  Entries.push_back({Phase.str(), Seconds, Count});
}

double CheckProfile::seconds(llvm::StringRef Phase) const {
  std::lock_guard<std::mutex> Lock(M);
  for (const Entry &E : Entries)
    if (E.Name == Phase)
      return E.Seconds;
  return 0;
}

unsigned CheckProfile::count(llvm::StringRef Phase) const {
  std::lock_guard<std::mutex> Lock(M);
  for (const Entry &E : Entries)
    if (E.Name == Phase)
      return E.Count;
  return 0;
}

void CheckProfile::print(llvm::raw_ostream &OS, double Elapsed) const {
  std::lock_guard<std::mutex> Lock(M);
  const char *Rule =
      "===-------------------------------------------------------------------------===\n";
  OS << Rule << "                        threadwise check profile\n" << Rule;
  OS << "  Total Execution Time: " << llvm::format("%.4f", Elapsed)
     << " seconds wall clock (per-TU phases are summed over TUs)\n\n";
  OS << "   ---Wall Time---   ---Count---  --- Name ---\n";
  std::vector<const Entry *> Sorted;
  for (const Entry &E : Entries)
    Sorted.push_back(&E);
  std::stable_sort(Sorted.begin(), Sorted.end(),
                   [](const Entry *A, const Entry *B) { return A->Seconds > B->Seconds; });
  for (const Entry *E : Sorted)
    OS << llvm::format("   %7.4f (%5.1f%%)   %11u  ", E->Seconds,
                       Elapsed > 0 ? 100.0 * E->Seconds / Elapsed : 0.0, E->Count)
       << E->Name << "\n";
  OS << llvm::format("   %7.4f (100.0%%)                Total\n", Elapsed);
}

void CheckProfile::writeJSON(llvm::raw_ostream &OS, double Elapsed) const {
  std::lock_guard<std::mutex> Lock(M);
  llvm::json::OStream J(OS, 2);
  J.object([&] {
    J.attribute("elapsed", Elapsed);
    J.attributeArray("phases", [&] {
      for (const Entry &E : Entries)
        J.object([&] {
          J.attribute("name", E.Name);
          J.attribute("seconds", E.Seconds);
          J.attribute("count", E.Count);
        });
    });
  });
  OS << "\n";
}

} // namespace threadwise
