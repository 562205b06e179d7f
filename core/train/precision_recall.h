#pragma once
// Precision-recall analysis of scores against binary labels: the curve, its
// area as average precision (AUPRC, the step-wise sum used by scikit-learn),
// and the threshold where F1 peaks (how DMFNet's detection threshold is
// chosen on validation data).
#include <cstdint>
#include <vector>

namespace emitrace::train {

struct PrPoint {
  double threshold = 0;  // score >= threshold is positive
  double precision = 0;
  double recall = 0;
};

struct PrCurve {
  std::vector<PrPoint> points;   // one per distinct score, thresholds descending
  double averagePrecision = 0;   // AUPRC; 0 when there are no positives
  std::int64_t positives = 0;
  std::int64_t count = 0;
};

// scores and labels have the same length; label true = positive.
PrCurve precisionRecallCurve(const std::vector<double>& scores, const std::vector<bool>& labels);

struct BestF1 {
  double threshold = 0.5;
  double f1 = 0;
  double precision = 0;
  double recall = 0;
};

// The operating point with the highest F1 (ties: the higher threshold).
BestF1 bestF1(const PrCurve& curve);

}  // namespace emitrace::train
