// Benchmark (not a test): read a torch.save checkpoint with the importer and
// report the median wall time of several reads, throughput and peak RSS, with
// CRC verification on and off. bench/run_torch_import_bench.sh makes a
// ResNet-50-sized checkpoint and times PyTorch's own torch.load beside it.
//
//   bench_torch_import <checkpoint.pt> [repeats]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/models/torch_import/state_dict.h"

using namespace emitrace::models::torch_import;

namespace {

double peakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_torch_import <checkpoint.pt> [repeats]\n");
    return 2;
  }
  const std::string path = argv[1];
  const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
  try {
    for (const bool verify : {true, false}) {
      ReadOptions options;
      options.verifyChecksums = verify;
      std::vector<double> seconds;
      double bytes = 0;
      std::size_t tensors = 0;
      for (int r = 0; r < repeats; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const StateDict sd = readStateDict(path, options);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        bytes = 0;
        for (const auto& e : sd.entries) bytes += static_cast<double>(e.tensor.numel() * e.tensor.element_size());
        tensors = sd.size();
      }
      std::sort(seconds.begin(), seconds.end());
      const double median = seconds[seconds.size() / 2];
      std::printf("emitrace readStateDict (crc %s): %zu tensors, %.1f MB, median %.3f s of %d (%.0f MB/s), peak RSS %.0f MiB\n",
                  verify ? "on " : "off", tensors, bytes / 1e6, median, repeats, bytes / 1e6 / median, peakRssMiB());
    }
  } catch (const emitrace::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
