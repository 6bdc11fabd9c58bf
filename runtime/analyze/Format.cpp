//===- Format.cpp - Human-readable numbers --------------------------------===//
#include "analyze/Format.h"
#include <cmath>
#include <cstdio>

std::string threadwise::runtime::formatFixed(double V, int Digits) {
  char Buf[64];
  std::snprintf(Buf, sizeof Buf, "%.*f", Digits, std::isfinite(V) ? V : 0.0);
  return Buf;
}

std::string threadwise::runtime::formatDuration(double Ns) {
  double A = std::fabs(Ns);
  if (A < 0.5)
    return "0";
  if (A >= 1e9)
    return formatFixed(Ns / 1e9, 2) + " s";
  if (A >= 1e6)
    return formatFixed(Ns / 1e6, A >= 1e8 ? 0 : 1) + " ms";
  if (A >= 1e3)
    return formatFixed(Ns / 1e3, 1) + " us";
  return formatFixed(Ns, 0) + " ns";
}

std::string threadwise::runtime::formatPercent(double Share) {
  if (Share > 0 && Share < 0.005)
    return "<1%";
  return formatFixed(Share * 100, 0) + "%";
}
