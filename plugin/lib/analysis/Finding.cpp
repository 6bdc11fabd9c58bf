//===- Finding.cpp --------------------------------------------------------===//
#include "threadwise/Finding.h"
#include <algorithm>
#include <tuple>

namespace threadwise {

bool SourcePos::operator<(const SourcePos &O) const {
  return std::tie(File, Line, Column) < std::tie(O.File, O.Line, O.Column);
}

void sortAndUnique(std::vector<Finding> &Findings) {
  std::stable_sort(Findings.begin(), Findings.end(), [](const Finding &A, const Finding &B) {
    return std::tie(A.Pos, A.Check, A.Fingerprint) < std::tie(B.Pos, B.Check, B.Fingerprint);
  });
  Findings.erase(std::unique(Findings.begin(), Findings.end(),
                             [](const Finding &A, const Finding &B) {
                               return A.Check == B.Check && A.Fingerprint == B.Fingerprint &&
                                      A.Pos == B.Pos;
                             }),
                 Findings.end());
}

} // namespace threadwise
