#pragma once
// Progress rendered on the terminal: a bar with percentage and ETA on stderr
// when it is a terminal, sparse "NN%" lines otherwise (logs, CI). Ctrl+C
// cancels the active operation cleanly through Progress::cancel().
#include <chrono>
#include <string>

#include "core/progress.h"

namespace emitrace::cli {

class TerminalProgress : public Progress {
 public:
  explicit TerminalProgress(bool quiet = false);
  ~TerminalProgress() override;
  // Ends the bar line (call before printing results).
  void done();

 protected:
  void onReport(double fraction, const std::string& text) override;
  void onWarn(const std::string& text) override;

 private:
  bool quiet_;
  bool tty_;
  bool lineOpen_ = false;
  int lastPercent_ = -1;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point lastDraw_;
};

}  // namespace emitrace::cli
