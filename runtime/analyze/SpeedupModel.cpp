//===- SpeedupModel.cpp - Amdahl, USL and the work model ------------------===//
#include "threadwise/runtime/ProfileAnalysis.h"
#include <algorithm>
#include <cmath>
#include <set>

using namespace threadwise::runtime;

double threadwise::runtime::amdahlSpeedup(double S, double N) {
  S = std::clamp(S, 0.0, 1.0);
  if (N < 1)
    N = 1;
  return 1.0 / (S + (1.0 - S) / N);
}

double threadwise::runtime::uslSpeedup(const UslParams &P, double N) {
  if (N < 1)
    N = 1;
  return N / (1.0 + P.Sigma * (N - 1) + P.Kappa * N * (N - 1));
}

// N / X - 1 = Sigma (N - 1) + Kappa N (N - 1) is linear in (Sigma, Kappa), so
// ordinary least squares on the two regressors fits it; a negative estimate
// means that term is not supported by the data and is refitted as zero.
std::optional<UslParams>
threadwise::runtime::fitUsl(llvm::ArrayRef<std::pair<double, double>> Points) {
  std::set<double> Distinct;
  double A11 = 0, A12 = 0, A22 = 0, B1 = 0, B2 = 0;
  for (auto [N, X] : Points) {
    if (N < 1 || X <= 0 || !std::isfinite(X))
      continue;
    Distinct.insert(N);
    double X1 = N - 1, X2 = N * (N - 1), Y = N / X - 1;
    A11 += X1 * X1;
    A12 += X1 * X2;
    A22 += X2 * X2;
    B1 += X1 * Y;
    B2 += X2 * Y;
  }
  if (Distinct.size() < 3 || A11 <= 0)
    return std::nullopt;
  UslParams P;
  double Det = A11 * A22 - A12 * A12;
  if (std::fabs(Det) > 1e-12 * A11 * A22) {
    P.Sigma = (B1 * A22 - B2 * A12) / Det;
    P.Kappa = (A11 * B2 - A12 * B1) / Det;
  }
  if (P.Kappa < 0 || std::fabs(Det) <= 1e-12 * A11 * A22) {
    P.Kappa = 0;
    P.Sigma = B1 / A11;
  }
  if (P.Sigma < 0) {
    P.Sigma = 0;
    P.Kappa = A22 > 0 ? std::max(0.0, B2 / A22) : 0;
  }
  return P;
}

double WorkModel::timeFor(double N) const {
  if (N < 1)
    N = 1;
  double CpuWays = std::min<double>(N, std::max(1, Cores));
  double T = SerialCpuNs + ParallelCpuNs / CpuWays + OverlapNs / N;
  if (N > 1)
    T += N * SpawnCostNs;
  return T;
}

double WorkModel::speedup(double N) const {
  double Base = SerialCpuNs + ParallelCpuNs + OverlapNs;
  double TN = timeFor(N);
  if (Base <= 0 || TN <= 0)
    return 1.0;
  return Base / TN;
}

double WorkModel::serialFraction() const {
  double Total = SerialCpuNs + ParallelCpuNs + OverlapNs;
  return Total > 0 ? SerialCpuNs / Total : 1.0;
}
