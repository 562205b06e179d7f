#include "core/inventory/review_status.h"

#include <algorithm>
#include <cctype>

#include "core/error.h"

namespace emitrace::inventory {

std::string toString(ReviewStatus status) {
  switch (status) {
    case ReviewStatus::Pending: return "pending";
    case ReviewStatus::Confirmed: return "confirmed";
    case ReviewStatus::Rejected: return "rejected";
    case ReviewStatus::Relabelled: return "relabelled";
    case ReviewStatus::Uncertain: return "uncertain";
  }
  return "pending";
}

ReviewStatus parseReviewStatus(const std::string& text) {
  std::string s = text;
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "pending") return ReviewStatus::Pending;
  if (s == "confirmed" || s == "confirm") return ReviewStatus::Confirmed;
  if (s == "rejected" || s == "reject") return ReviewStatus::Rejected;
  if (s == "relabelled" || s == "relabeled" || s == "relabel") return ReviewStatus::Relabelled;
  if (s == "uncertain") return ReviewStatus::Uncertain;
  throw InputError("unknown review status '" + text +
                   "' (expected pending, confirmed, rejected, relabelled or uncertain)");
}

}  // namespace emitrace::inventory
