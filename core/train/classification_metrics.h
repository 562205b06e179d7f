#pragma once
// Multi-class classification metrics as the papers report them: accuracy,
// per-class precision/recall/F1/AUPRC, their macro averages, and the
// confusion matrix (rows = truth, columns = prediction). Also the mean and
// standard deviation over repeated splits (FusionNet's five seeds).
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace emitrace::train {

struct ClassMetrics {
  std::string name;
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  double averagePrecision = 0;  // one-vs-rest AUPRC; needs probabilities
  std::int64_t support = 0;     // true samples of the class
};

struct ClassificationReport {
  std::vector<ClassMetrics> classes;
  std::vector<std::vector<std::int64_t>> confusion;  // [truth][prediction]
  double accuracy = 0;
  double macroPrecision = 0;
  double macroRecall = 0;
  double macroF1 = 0;
  double macroAveragePrecision = 0;  // mean over classes with support
  std::int64_t count = 0;

  nlohmann::json toJson() const;
  // Table in the papers' layout, then the confusion matrix.
  std::string format() const;
};

// truth and predicted are class indices in [0, classNames.size()).
// probabilities (optional, N x C, rows summing to 1) enable AUPRC.
// Classes without true samples get precision/recall 0 and are left out of
// the macro averages (as scikit-learn does with zero_division=0 on present
// labels). Throws InputError for inconsistent sizes or indices.
ClassificationReport evaluateClassification(const std::vector<int>& truth, const std::vector<int>& predicted,
                                            const std::vector<std::string>& classNames,
                                            const std::vector<std::vector<double>>& probabilities = {});

struct MeanStd {
  double mean = 0;
  double std = 0;  // sample standard deviation (n - 1); 0 for one run
};

// Mean and standard deviation of each headline metric over repeated runs.
struct RepeatedReport {
  MeanStd accuracy, macroPrecision, macroRecall, macroF1, macroAveragePrecision;
  std::vector<std::string> classNames;
  std::vector<MeanStd> precision, recall, f1;  // per class
  int runs = 0;

  nlohmann::json toJson() const;
  std::string format() const;  // "mean ± std" table
};

RepeatedReport summariseRuns(const std::vector<ClassificationReport>& runs);

}  // namespace emitrace::train
