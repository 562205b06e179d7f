// core/train metrics and schedules against hand-computed values.
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cmath>

#include "core/error.h"
#include "core/train/classification_metrics.h"
#include "core/train/lr_schedule.h"
#include "core/train/precision_recall.h"

using namespace emitrace;
using namespace emitrace::train;

namespace {
bool near(double a, double b, double eps = 1e-9) { return std::abs(a - b) <= eps; }
}  // namespace

class TestMetrics : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void averagePrecisionMatchesReference();
  void averagePrecisionWithTies();
  void bestF1Threshold();
  void confusionAndMacro();
  void repeatedRuns();
  void schedules();
  void badInput();
};

void TestMetrics::averagePrecisionMatchesReference() {
  // scikit-learn's documented example: average_precision_score -> 0.8333...
  const auto c = precisionRecallCurve({0.1, 0.4, 0.35, 0.8}, {false, false, true, true});
  QVERIFY(near(c.averagePrecision, 0.8333333333333333));
  QCOMPARE(c.positives, 2LL);
  QCOMPARE(c.points.size(), size_t(4));
  QVERIFY(near(c.points.front().threshold, 0.8));
  QVERIFY(near(c.points.front().precision, 1.0));
  QVERIFY(near(c.points.front().recall, 0.5));
  // No positives: AP 0, no points.
  QCOMPARE(precisionRecallCurve({0.3, 0.2}, {false, false}).averagePrecision, 0.0);
}

void TestMetrics::averagePrecisionWithTies() {
  // All scores equal: one point at precision = prevalence, recall 1.
  const auto c = precisionRecallCurve({0.5, 0.5, 0.5, 0.5}, {true, false, false, false});
  QCOMPARE(c.points.size(), size_t(1));
  QVERIFY(near(c.averagePrecision, 0.25));
}

void TestMetrics::bestF1Threshold() {
  // Positives at 0.9, 0.8, 0.3; negatives at 0.7, 0.2.
  const auto c = precisionRecallCurve({0.9, 0.8, 0.7, 0.3, 0.2}, {true, true, false, true, false});
  const auto best = bestF1(c);
  // threshold 0.8: P=1, R=2/3, F1=0.8; threshold 0.3: P=3/4, R=1, F1=6/7=0.857.
  QVERIFY(near(best.threshold, 0.3));
  QVERIFY(near(best.f1, 6.0 / 7.0));
}

void TestMetrics::confusionAndMacro() {
  // 3 classes; truth/prediction pairs chosen so every cell is known.
  const std::vector<int> truth{0, 0, 0, 1, 1, 2, 2, 2, 2};
  const std::vector<int> pred{0, 0, 1, 1, 2, 2, 2, 2, 0};
  const auto r = evaluateClassification(truth, pred, {"a", "b", "c"});
  QCOMPARE(r.confusion[0], (std::vector<std::int64_t>{2, 1, 0}));
  QCOMPARE(r.confusion[1], (std::vector<std::int64_t>{0, 1, 1}));
  QCOMPARE(r.confusion[2], (std::vector<std::int64_t>{1, 0, 3}));
  QVERIFY(near(r.accuracy, 6.0 / 9.0));
  // a: P=2/3 R=2/3; b: P=1/2 R=1/2; c: P=3/4 R=3/4.
  QVERIFY(near(r.classes[0].precision, 2.0 / 3.0));
  QVERIFY(near(r.classes[1].recall, 0.5));
  QVERIFY(near(r.classes[2].f1, 0.75));
  QVERIFY(near(r.macroF1, (2.0 / 3.0 + 0.5 + 0.75) / 3.0));
  // With probabilities: perfect ranking gives AUPRC 1 for every class.
  std::vector<std::vector<double>> probs;
  for (int t : truth) {
    std::vector<double> p(3, 0.1);
    p[t] = 0.8;
    probs.push_back(p);
  }
  const auto withProbs = evaluateClassification(truth, pred, {"a", "b", "c"}, probs);
  QVERIFY(near(withProbs.macroAveragePrecision, 1.0));
  QVERIFY(withProbs.format().find("confusion matrix") != std::string::npos);
  QCOMPARE(withProbs.toJson()["classes"].size(), size_t(3));
}

void TestMetrics::repeatedRuns() {
  const auto a = evaluateClassification({0, 1, 0, 1}, {0, 1, 0, 1}, {"x", "y"});
  const auto b = evaluateClassification({0, 1, 0, 1}, {0, 0, 0, 1}, {"x", "y"});
  const auto s = summariseRuns({a, b});
  QCOMPARE(s.runs, 2);
  QVERIFY(near(s.accuracy.mean, 0.875));
  QVERIFY(near(s.accuracy.std, std::sqrt(2 * 0.125 * 0.125)));
  QVERIFY(near(s.recall[1].mean, 0.75));
  QVERIFY(s.format().find("±") != std::string::npos);
}

void TestMetrics::schedules() {
  QVERIFY(near(cosineAnnealing(2e-3, 1e-6, 0, 100), 2e-3));
  QVERIFY(near(cosineAnnealing(2e-3, 1e-6, 50, 100), 1e-6 + (2e-3 - 1e-6) / 2));
  QVERIFY(near(cosineAnnealing(2e-3, 1e-6, 100, 100), 1e-6));
  QVERIFY(near(cosineAnnealing(2e-3, 1e-6, 500, 100), 1e-6));
  QVERIFY(near(exponentialDecay(1.0, 1e-4, 0, 10), 1.0));
  QVERIFY(near(exponentialDecay(1.0, 1e-4, 5, 10), 1e-2));
  QVERIFY(near(exponentialDecay(1.0, 1e-4, 10, 10), 1e-4));
}

void TestMetrics::badInput() {
  QVERIFY_THROWS_EXCEPTION(InputError, evaluateClassification({0, 1}, {0}, {"a", "b"}));
  QVERIFY_THROWS_EXCEPTION(InputError, evaluateClassification({0, 3}, {0, 1}, {"a", "b"}));
  QVERIFY_THROWS_EXCEPTION(InputError, evaluateClassification({0}, {0}, {"a"}));
  QVERIFY_THROWS_EXCEPTION(InputError, precisionRecallCurve({0.1}, {true, false}));
}

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"
