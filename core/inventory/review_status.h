#pragma once
// The review state of a detection (and, derived from its members, of a
// facility). Every detection starts pending; an analyst confirms, rejects,
// relabels (to another facility type) or marks it uncertain.
#include <string>

namespace emitrace::inventory {

enum class ReviewStatus { Pending, Confirmed, Rejected, Relabelled, Uncertain };

// "pending", "confirmed", "rejected", "relabelled", "uncertain".
std::string toString(ReviewStatus status);
// Accepts those names (case-insensitive; "relabeled" too). Throws InputError.
ReviewStatus parseReviewStatus(const std::string& text);

// A confirmed or relabelled detection is a validated one: it counts as a true
// positive (of its new type when relabelled) and can cover reference points.
inline bool isValidated(ReviewStatus s) {
  return s == ReviewStatus::Confirmed || s == ReviewStatus::Relabelled;
}

}  // namespace emitrace::inventory
