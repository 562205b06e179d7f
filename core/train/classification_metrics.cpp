#include "core/train/classification_metrics.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "core/error.h"
#include "core/train/precision_recall.h"

namespace emitrace::train {
namespace {

double ratio(double a, double b) { return b > 0 ? a / b : 0.0; }

MeanStd meanStd(const std::vector<double>& v) {
  MeanStd m;
  if (v.empty()) return m;
  for (double x : v) m.mean += x;
  m.mean /= v.size();
  if (v.size() > 1) {
    double ss = 0;
    for (double x : v) ss += (x - m.mean) * (x - m.mean);
    m.std = std::sqrt(ss / (v.size() - 1));
  }
  return m;
}

std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%6.2f", 100.0 * v);
  return buf;
}

std::string pctPm(const MeanStd& m) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%6.2f ± %5.2f", 100.0 * m.mean, 100.0 * m.std);
  return buf;
}

}  // namespace

ClassificationReport evaluateClassification(const std::vector<int>& truth, const std::vector<int>& predicted,
                                            const std::vector<std::string>& classNames,
                                            const std::vector<std::vector<double>>& probabilities) {
  const int c = static_cast<int>(classNames.size());
  if (c < 2) throw InputError("classification metrics need at least two classes");
  if (truth.size() != predicted.size()) {
    throw InputError("classification metrics: " + std::to_string(truth.size()) + " labels for " +
                     std::to_string(predicted.size()) + " predictions");
  }
  if (!probabilities.empty() && probabilities.size() != truth.size()) {
    throw InputError("classification metrics: probabilities for " + std::to_string(probabilities.size()) +
                     " samples, labels for " + std::to_string(truth.size()));
  }
  ClassificationReport r;
  r.count = static_cast<std::int64_t>(truth.size());
  r.confusion.assign(c, std::vector<std::int64_t>(c, 0));
  for (size_t i = 0; i < truth.size(); ++i) {
    if (truth[i] < 0 || truth[i] >= c || predicted[i] < 0 || predicted[i] >= c) {
      throw InputError("classification metrics: class index out of range at sample " + std::to_string(i));
    }
    ++r.confusion[truth[i]][predicted[i]];
  }
  std::int64_t correct = 0;
  int present = 0;
  for (int k = 0; k < c; ++k) {
    ClassMetrics m;
    m.name = classNames[k];
    std::int64_t tp = r.confusion[k][k], predictedK = 0, trueK = 0;
    for (int j = 0; j < c; ++j) {
      predictedK += r.confusion[j][k];
      trueK += r.confusion[k][j];
    }
    correct += tp;
    m.support = trueK;
    m.precision = ratio(tp, predictedK);
    m.recall = ratio(tp, trueK);
    m.f1 = ratio(2 * m.precision * m.recall, m.precision + m.recall);
    if (!probabilities.empty()) {
      std::vector<double> scores(truth.size());
      std::vector<bool> labels(truth.size());
      for (size_t i = 0; i < truth.size(); ++i) {
        if (static_cast<int>(probabilities[i].size()) != c) {
          throw InputError("classification metrics: sample " + std::to_string(i) + " has " +
                           std::to_string(probabilities[i].size()) + " probabilities for " + std::to_string(c) +
                           " classes");
        }
        scores[i] = probabilities[i][k];
        labels[i] = truth[i] == k;
      }
      m.averagePrecision = precisionRecallCurve(scores, labels).averagePrecision;
    }
    if (trueK > 0) {
      ++present;
      r.macroPrecision += m.precision;
      r.macroRecall += m.recall;
      r.macroF1 += m.f1;
      r.macroAveragePrecision += m.averagePrecision;
    }
    r.classes.push_back(m);
  }
  r.accuracy = ratio(correct, r.count);
  if (present > 0) {
    r.macroPrecision /= present;
    r.macroRecall /= present;
    r.macroF1 /= present;
    r.macroAveragePrecision /= present;
  }
  return r;
}

nlohmann::json ClassificationReport::toJson() const {
  nlohmann::json j;
  j["count"] = count;
  j["accuracy"] = accuracy;
  j["macro"] = {{"precision", macroPrecision}, {"recall", macroRecall}, {"f1", macroF1},
                {"average_precision", macroAveragePrecision}};
  nlohmann::json cls = nlohmann::json::array();
  for (const auto& m : classes) {
    cls.push_back({{"name", m.name}, {"precision", m.precision}, {"recall", m.recall}, {"f1", m.f1},
                   {"average_precision", m.averagePrecision}, {"support", m.support}});
  }
  j["classes"] = cls;
  j["confusion"] = confusion;
  return j;
}

std::string ClassificationReport::format() const {
  std::ostringstream out;
  out << "class                      precision  recall     F1   AUPRC  support\n";
  for (const auto& m : classes) {
    char name[28];
    std::snprintf(name, sizeof name, "%-26s", m.name.c_str());
    out << name << pct(m.precision) << "  " << pct(m.recall) << " " << pct(m.f1) << " " << pct(m.averagePrecision)
        << "  " << m.support << "\n";
  }
  out << "macro                     " << pct(macroPrecision) << "  " << pct(macroRecall) << " " << pct(macroF1) << " "
      << pct(macroAveragePrecision) << "  " << count << "\n";
  out << "accuracy " << pct(accuracy) << "%\n";
  out << "confusion matrix (rows: truth, columns: prediction)\n";
  for (size_t i = 0; i < confusion.size(); ++i) {
    char name[28];
    std::snprintf(name, sizeof name, "%-26s", classes[i].name.c_str());
    out << name;
    for (auto v : confusion[i]) {
      char cell[16];
      std::snprintf(cell, sizeof cell, " %6lld", static_cast<long long>(v));
      out << cell;
    }
    out << "\n";
  }
  return out.str();
}

RepeatedReport summariseRuns(const std::vector<ClassificationReport>& runs) {
  RepeatedReport r;
  r.runs = static_cast<int>(runs.size());
  if (runs.empty()) return r;
  auto collect = [&](auto getter) {
    std::vector<double> v;
    for (const auto& run : runs) v.push_back(getter(run));
    return meanStd(v);
  };
  r.accuracy = collect([](const auto& x) { return x.accuracy; });
  r.macroPrecision = collect([](const auto& x) { return x.macroPrecision; });
  r.macroRecall = collect([](const auto& x) { return x.macroRecall; });
  r.macroF1 = collect([](const auto& x) { return x.macroF1; });
  r.macroAveragePrecision = collect([](const auto& x) { return x.macroAveragePrecision; });
  const size_t c = runs.front().classes.size();
  for (size_t k = 0; k < c; ++k) {
    r.classNames.push_back(runs.front().classes[k].name);
    r.precision.push_back(collect([k](const auto& x) { return x.classes.at(k).precision; }));
    r.recall.push_back(collect([k](const auto& x) { return x.classes.at(k).recall; }));
    r.f1.push_back(collect([k](const auto& x) { return x.classes.at(k).f1; }));
  }
  return r;
}

nlohmann::json RepeatedReport::toJson() const {
  auto ms = [](const MeanStd& m) { return nlohmann::json{{"mean", m.mean}, {"std", m.std}}; };
  nlohmann::json j{{"runs", runs},
                   {"accuracy", ms(accuracy)},
                   {"macro_precision", ms(macroPrecision)},
                   {"macro_recall", ms(macroRecall)},
                   {"macro_f1", ms(macroF1)},
                   {"macro_average_precision", ms(macroAveragePrecision)}};
  nlohmann::json cls = nlohmann::json::array();
  for (size_t k = 0; k < classNames.size(); ++k) {
    cls.push_back({{"name", classNames[k]}, {"precision", ms(precision[k])}, {"recall", ms(recall[k])},
                   {"f1", ms(f1[k])}});
  }
  j["classes"] = cls;
  return j;
}

std::string RepeatedReport::format() const {
  std::ostringstream out;
  out << "over " << runs << " runs (mean ± std, %)\n";
  out << "class                      precision        recall           F1\n";
  for (size_t k = 0; k < classNames.size(); ++k) {
    char name[28];
    std::snprintf(name, sizeof name, "%-26s", classNames[k].c_str());
    out << name << pctPm(precision[k]) << "  " << pctPm(recall[k]) << "  " << pctPm(f1[k]) << "\n";
  }
  out << "macro                     " << pctPm(macroPrecision) << "  " << pctPm(macroRecall) << "  " << pctPm(macroF1)
      << "\n";
  out << "accuracy                  " << pctPm(accuracy) << "\n";
  return out.str();
}

}  // namespace emitrace::train
