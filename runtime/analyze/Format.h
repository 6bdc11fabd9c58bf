//===- Format.h - Human-readable numbers for evidence and reports ---------===//
#ifndef THREADWISE_RUNTIME_ANALYZE_FORMAT_H
#define THREADWISE_RUNTIME_ANALYZE_FORMAT_H

#include <cstdint>
#include <string>

namespace threadwise::runtime {
/// "2.04 s", "350 ms", "12.0 us", "800 ns".
std::string formatDuration(double Ns);
/// "37%" (0.37), "<1%" for small non-zero shares.
std::string formatPercent(double Share);
/// Fixed-point with Digits decimals: "1.62".
std::string formatFixed(double V, int Digits = 2);
} // namespace threadwise::runtime

#endif
