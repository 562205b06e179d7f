#include "core/train/precision_recall.h"

#include <algorithm>
#include <numeric>

#include "core/error.h"

namespace emitrace::train {

PrCurve precisionRecallCurve(const std::vector<double>& scores, const std::vector<bool>& labels) {
  if (scores.size() != labels.size()) {
    throw InputError("precision-recall: " + std::to_string(scores.size()) + " scores for " +
                     std::to_string(labels.size()) + " labels");
  }
  PrCurve curve;
  curve.count = static_cast<std::int64_t>(scores.size());
  curve.positives = std::count(labels.begin(), labels.end(), true);
  if (curve.positives == 0) return curve;

  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });

  std::int64_t tp = 0, fp = 0;
  double previousRecall = 0.0;
  for (size_t i = 0; i < order.size(); ++i) {
    if (labels[order[i]]) ++tp;
    else ++fp;
    // Emit a point only after the last sample sharing this score.
    if (i + 1 < order.size() && scores[order[i + 1]] == scores[order[i]]) continue;
    PrPoint p;
    p.threshold = scores[order[i]];
    p.precision = static_cast<double>(tp) / (tp + fp);
    p.recall = static_cast<double>(tp) / curve.positives;
    curve.averagePrecision += (p.recall - previousRecall) * p.precision;
    previousRecall = p.recall;
    curve.points.push_back(p);
  }
  return curve;
}

BestF1 bestF1(const PrCurve& curve) {
  BestF1 best;
  for (const auto& p : curve.points) {
    const double denom = p.precision + p.recall;
    const double f1 = denom > 0 ? 2 * p.precision * p.recall / denom : 0.0;
    if (f1 > best.f1) {
      best = {p.threshold, f1, p.precision, p.recall};
    }
  }
  return best;
}

}  // namespace emitrace::train
