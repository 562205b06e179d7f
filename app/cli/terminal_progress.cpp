#include "app/cli/terminal_progress.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace emitrace::cli {
namespace {

std::atomic<TerminalProgress*> gActive{nullptr};

extern "C" void onInterrupt(int) {
  if (TerminalProgress* p = gActive.load()) p->cancel();
}

std::string formatSeconds(double s) {
  if (!(s >= 0) || s > 360000) return "--:--";
  const int total = static_cast<int>(s + 0.5);
  char buf[32];
  if (total >= 3600) std::snprintf(buf, sizeof buf, "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60);
  else std::snprintf(buf, sizeof buf, "%02d:%02d", total / 60, total % 60);
  return buf;
}

}  // namespace

TerminalProgress::TerminalProgress(bool quiet)
    : quiet_(quiet), tty_(::isatty(STDERR_FILENO) != 0), start_(std::chrono::steady_clock::now()) {
  gActive.store(this);
  std::signal(SIGINT, onInterrupt);
}

TerminalProgress::~TerminalProgress() {
  done();
  TerminalProgress* self = this;
  gActive.compare_exchange_strong(self, nullptr);
  std::signal(SIGINT, SIG_DFL);
}

void TerminalProgress::done() {
  if (lineOpen_) {
    std::fputc('\n', stderr);
    lineOpen_ = false;
  }
}

void TerminalProgress::onReport(double fraction, const std::string& text) {
  if (quiet_) return;
  const int percent = static_cast<int>(fraction * 100.0);
  const auto now = std::chrono::steady_clock::now();
  if (!tty_) {
    // Logs: one line per 10%.
    if (percent / 10 != lastPercent_ / 10 || lastPercent_ < 0) {
      std::fprintf(stderr, "%3d%% %s\n", percent, text.c_str());
      lastPercent_ = percent;
    }
    return;
  }
  if (percent == lastPercent_ && now - lastDraw_ < std::chrono::milliseconds(200) && fraction < 1.0) return;
  lastPercent_ = percent;
  lastDraw_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = fraction > 0.001 ? elapsed * (1.0 - fraction) / fraction : -1.0;
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(filled, '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "\r[%s] %3d%%  %s elapsed, ETA %s  %-30.30s", bar.c_str(), percent,
               formatSeconds(elapsed).c_str(), formatSeconds(eta).c_str(), text.c_str());
  std::fflush(stderr);
  lineOpen_ = true;
}

void TerminalProgress::onWarn(const std::string& text) {
  done();
  std::fprintf(stderr, "emitrace: warning: %s\n", text.c_str());
}

}  // namespace emitrace::cli
