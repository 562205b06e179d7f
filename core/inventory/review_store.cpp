// Inventory: review decisions, bulk rejection, undo and the review log.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "core/inventory/detection_row.h"
#include "core/inventory/inventory_impl.h"

namespace emitrace::inventory {
namespace {

// The review-relevant state of one detection.
struct State {
  std::int64_t id = 0;
  std::string key;
  FacilityType predicted = FacilityType::None;
  FacilityType effective = FacilityType::None;
  ReviewStatus status = ReviewStatus::Pending;
  std::string note;
  std::string reviewer;
  std::string reviewedAt;
  std::string ipccCode;
  std::int64_t facilityId = -1;
};

std::vector<State> loadStates(GDALDataset& ds, const std::string& where) {
  std::vector<State> out;
  selectSql(ds,
            "SELECT fid + 0, detection_key, facility_type, effective_type, review_status, review_note, "
            "reviewer, reviewed_at, ipcc_code, facility_id FROM detections " + where + " ORDER BY fid",
            [&](OGRFeature& f) {
              State s;
              s.id = f.GetFieldAsInteger64(0);
              s.key = f.GetFieldAsString(1);
              s.predicted = parseFacilityType(f.GetFieldAsString(2));
              s.effective = parseFacilityType(f.GetFieldAsString(3));
              s.status = parseReviewStatus(f.GetFieldAsString(4));
              s.note = f.GetFieldAsString(5);
              s.reviewer = f.GetFieldAsString(6);
              s.reviewedAt = f.GetFieldAsString(7);
              s.ipccCode = f.GetFieldAsString(8);
              s.facilityId = f.IsFieldSetAndNotNull(9) ? f.GetFieldAsInteger64(9) : -1;
              out.push_back(std::move(s));
            });
  return out;
}

std::string nullableText(const std::string& s) { return s.empty() ? "NULL" : sqlQuote(s); }

// The IPCC code a detection of `type` carries. Plumes keep the code of the
// facility they are attached to (set by merge) while they stay plumes.
std::string ipccFor(FacilityType type, const State& before) {
  if (type == FacilityType::MethanePlume && before.effective == FacilityType::MethanePlume) {
    return before.ipccCode;
  }
  return info(type).ipccCode;
}

void writeState(Inventory::Impl& d, std::int64_t id, ReviewStatus status, FacilityType effective,
                const std::string& ipcc, const std::string& note, const std::string& reviewer,
                const std::string& at) {
  d.exec("UPDATE detections SET review_status = " + sqlQuote(toString(status)) +
         ", reviewed_type = " +
         (status == ReviewStatus::Relabelled ? sqlQuote(toString(effective)) : std::string("NULL")) +
         ", effective_type = " + sqlQuote(toString(effective)) + ", ipcc_code = " + sqlQuote(ipcc) +
         ", review_note = " + nullableText(note) + ", reviewer = " + nullableText(reviewer) +
         ", reviewed_at = " + nullableText(at) + " WHERE fid = " + std::to_string(id));
}

struct LogRow {
  std::int64_t decisionId;
  const char* action;
  ReviewTarget target;
  std::int64_t targetId;
  const State* before;
  ReviewStatus newStatus;
  FacilityType newType;
  std::string reviewer;
  std::string at;
  std::string note;
};

void appendLog(Inventory::Impl& d, const LogRow& r) {
  OGRLayer* log = d.layer(schema::kReviewLog);
  OGRFeatureUniquePtr f(OGRFeature::CreateFeature(log->GetLayerDefn()));
  f->SetField("decision_id", static_cast<GIntBig>(r.decisionId));
  f->SetField("action", r.action);
  f->SetField("target_kind", r.target == ReviewTarget::Facility ? "facility" : "detection");
  f->SetField("target_id", static_cast<GIntBig>(r.targetId));
  f->SetField("detection_id", static_cast<GIntBig>(r.before->id));
  f->SetField("detection_key", r.before->key.c_str());
  f->SetField("old_status", toString(r.before->status).c_str());
  f->SetField("new_status", toString(r.newStatus).c_str());
  f->SetField("old_type", toString(r.before->effective).c_str());
  f->SetField("new_type", toString(r.newType).c_str());
  f->SetField("old_note", r.before->note.c_str());
  f->SetField("old_reviewer", r.before->reviewer.c_str());
  f->SetField("old_reviewed_at", r.before->reviewedAt.c_str());
  f->SetField("reviewer", r.reviewer.c_str());
  f->SetField("decided_at", r.at.c_str());
  f->SetField("note", r.note.c_str());
  f->SetField("undone", 0);
  createFeature(*log, *f, "the review log");
}

bool changesMembership(const State& before, ReviewStatus status, FacilityType type) {
  return (before.status == ReviewStatus::Rejected) != (status == ReviewStatus::Rejected) ||
         before.effective != type;
}

std::string reviewerOrUnknown(const std::string& r) { return r.empty() ? "unknown" : r; }

ReviewLogEntry logEntryOf(OGRFeature& f) {
  ReviewLogEntry e;
  e.id = f.GetFieldAsInteger64("log_id");
  e.decisionId = f.GetFieldAsInteger64("decision_id");
  e.action = f.GetFieldAsString("action");
  e.target = std::string(f.GetFieldAsString("target_kind")) == "facility" ? ReviewTarget::Facility
                                                                           : ReviewTarget::Detection;
  e.targetId = f.GetFieldAsInteger64("target_id");
  e.detectionId = f.GetFieldAsInteger64("detection_id");
  e.detectionKey = f.GetFieldAsString("detection_key");
  e.oldStatus = parseReviewStatus(f.GetFieldAsString("old_status"));
  e.newStatus = parseReviewStatus(f.GetFieldAsString("new_status"));
  e.oldType = f.GetFieldAsString("old_type");
  e.newType = f.GetFieldAsString("new_type");
  e.reviewer = f.GetFieldAsString("reviewer");
  e.decidedAt = f.GetFieldAsString("decided_at");
  e.note = f.GetFieldAsString("note");
  e.undone = f.GetFieldAsInteger("undone") != 0;
  e.undoneBy = f.GetFieldAsInteger64("undone_by");
  return e;
}

}  // namespace

void ReviewDecision::validate() const {
  if (ids.empty()) throw InputError("a review decision needs at least one detection or facility id");
  if (status == ReviewStatus::Relabelled) {
    if (!newType || *newType == FacilityType::None) {
      throw InputError("relabelling needs the new facility type (e.g. landfill, wastewater)");
    }
  } else if (newType) {
    throw InputError("a new facility type is only given when relabelling (status relabelled)");
  }
}

ReviewOutcome Inventory::review(const ReviewDecision& decision) {
  decision.validate();
  Impl& d = *impl_;
  return d.write([&] {
    ReviewOutcome outcome;
    std::vector<State> states;
    std::map<std::int64_t, FacilityType> facilityTypes;  // facility target: its type
    std::map<std::int64_t, std::int64_t> targetOf;       // detection -> facility chosen
    if (decision.target == ReviewTarget::Detection) {
      states = loadStates(*d.ds, "WHERE fid IN " + sqlIdList(decision.ids));
      std::set<std::int64_t> found;
      for (const auto& s : states) found.insert(s.id);
      for (auto id : decision.ids) {
        if (!found.count(id)) {
          throw InputError("inventory '" + d.path + "' has no detection " + std::to_string(id));
        }
      }
      for (const auto& s : states) targetOf[s.id] = s.id;
    } else {
      selectSql(*d.ds, "SELECT fid + 0, facility_type FROM facilities WHERE fid IN " + sqlIdList(decision.ids),
                [&](OGRFeature& f) {
                  facilityTypes[f.GetFieldAsInteger64(0)] = parseFacilityType(f.GetFieldAsString(1));
                });
      for (auto id : decision.ids) {
        if (!facilityTypes.count(id)) {
          throw InputError("inventory '" + d.path + "' has no facility " + std::to_string(id) +
                           " (facility ids change when facilities are re-merged; list them again)");
        }
      }
      states = loadStates(*d.ds, "WHERE facility_role = 'member' AND facility_id IN " +
                                     sqlIdList(decision.ids));
      for (const auto& s : states) targetOf[s.id] = s.facilityId;
    }

    const std::string now = nowIso();
    const std::string reviewer = reviewerOrUnknown(decision.reviewer);
    std::set<std::int64_t> facilities;
    bool stale = false;
    for (const State& s : states) {
      ReviewStatus status = decision.status;
      FacilityType type = status == ReviewStatus::Relabelled ? *decision.newType : s.predicted;
      // Confirming a facility keeps members relabelled into its type as they are.
      if (decision.target == ReviewTarget::Facility && status == ReviewStatus::Confirmed &&
          s.status == ReviewStatus::Relabelled && s.effective == facilityTypes[s.facilityId]) {
        status = ReviewStatus::Relabelled;
        type = s.effective;
      }
      // Relabelling to what the model said is a confirmation.
      if (status == ReviewStatus::Relabelled && type == s.predicted) status = ReviewStatus::Confirmed;
      if (status == s.status && type == s.effective && decision.note == s.note) {
        ++outcome.unchanged;
        continue;
      }
      if (outcome.decisionId == 0) outcome.decisionId = d.nextDecisionId();
      writeState(d, s.id, status, type, ipccFor(type, s), decision.note, reviewer, now);
      appendLog(d, {outcome.decisionId, "review", decision.target, targetOf[s.id], &s, status, type,
                    reviewer, now, decision.note});
      stale = stale || changesMembership(s, status, type);
      if (s.facilityId >= 0) facilities.insert(s.facilityId);
      outcome.detectionIds.push_back(s.id);
      ++outcome.changed;
    }
    d.refreshFacilityStatus({facilities.begin(), facilities.end()});
    if (stale) d.putMetadata("facilities_stale", "1");
    return outcome;
  });
}

ReviewOutcome Inventory::rejectBelow(double threshold, const DetectionFilter& scope,
                                     const std::string& note, const std::string& reviewer) {
  if (!(threshold >= 0.0 && threshold <= 1.0)) {
    throw InputError("the bulk-reject probability threshold must be in [0, 1], got " +
                     std::to_string(threshold));
  }
  DetectionFilter filter = scope;
  if (!filter.statuses.empty() &&
      std::find(filter.statuses.begin(), filter.statuses.end(), ReviewStatus::Pending) ==
          filter.statuses.end()) {
    return {};  // only pending detections are ever bulk-rejected
  }
  filter.statuses = {ReviewStatus::Pending};
  filter.maxProbability = filter.maxProbability ? std::min(*filter.maxProbability, threshold) : threshold;
  filter.limit = -1;
  filter.offset = 0;
  Impl& d = *impl_;
  return d.write([&] {
    ReviewOutcome outcome;
    const std::vector<State> states = loadStates(*d.ds, detectionWhereClause(filter));
    if (states.empty()) return outcome;
    outcome.decisionId = d.nextDecisionId();
    const std::string now = nowIso();
    const std::string who = reviewerOrUnknown(reviewer);
    const std::string text = note.empty() ? "probability below " + sqlNumber(threshold) : note;
    std::set<std::int64_t> facilities;
    std::vector<std::int64_t> ids;
    for (const State& s : states) {
      appendLog(d, {outcome.decisionId, "bulk-reject", ReviewTarget::Detection, s.id, &s,
                    ReviewStatus::Rejected, s.effective, who, now, text});
      if (s.facilityId >= 0) facilities.insert(s.facilityId);
      ids.push_back(s.id);
    }
    for (size_t start = 0; start < ids.size(); start += 500) {
      const std::vector<std::int64_t> chunk(ids.begin() + start,
                                            ids.begin() + std::min(ids.size(), start + 500));
      d.exec("UPDATE detections SET review_status = 'rejected', reviewed_type = NULL, review_note = " +
             sqlQuote(text) + ", reviewer = " + sqlQuote(who) + ", reviewed_at = " + sqlQuote(now) +
             " WHERE fid IN " + sqlIdList(chunk));
    }
    d.refreshFacilityStatus({facilities.begin(), facilities.end()});
    d.putMetadata("facilities_stale", "1");
    outcome.changed = static_cast<std::int64_t>(ids.size());
    outcome.detectionIds = std::move(ids);
    return outcome;
  });
}

std::optional<ReviewOutcome> Inventory::undoLastDecision(const std::string& reviewer) {
  Impl& d = *impl_;
  return d.write([&]() -> std::optional<ReviewOutcome> {
    const std::int64_t target = selectInt(
        *d.ds, "SELECT MAX(decision_id) FROM review_log WHERE undone = 0 AND action <> 'undo'", 0);
    if (target <= 0) return std::nullopt;
    struct Row {
      std::int64_t logId, detectionId;
      ReviewStatus oldStatus;
      FacilityType oldType;
      std::string oldNote, oldReviewer, oldReviewedAt;
    };
    std::vector<Row> rows;
    selectSql(*d.ds,
              "SELECT fid + 0, detection_id, old_status, old_type, old_note, old_reviewer, old_reviewed_at "
              "FROM review_log WHERE decision_id = " + std::to_string(target) + " ORDER BY fid DESC",
              [&](OGRFeature& f) {
                rows.push_back({f.GetFieldAsInteger64(0), f.GetFieldAsInteger64(1),
                                parseReviewStatus(f.GetFieldAsString(2)),
                                parseFacilityType(f.GetFieldAsString(3)), f.GetFieldAsString(4),
                                f.GetFieldAsString(5), f.GetFieldAsString(6)});
              });
    ReviewOutcome outcome;
    outcome.decisionId = d.nextDecisionId();
    const std::string now = nowIso();
    const std::string who = reviewerOrUnknown(reviewer);
    std::set<std::int64_t> facilities;
    bool stale = false;
    for (const Row& row : rows) {
      const auto states = loadStates(*d.ds, "WHERE fid = " + std::to_string(row.detectionId));
      if (states.empty()) continue;
      const State& now_ = states.front();
      writeState(d, row.detectionId, row.oldStatus, row.oldType, ipccFor(row.oldType, now_),
                 row.oldNote, row.oldReviewer, row.oldReviewedAt);
      appendLog(d, {outcome.decisionId, "undo", ReviewTarget::Detection, row.detectionId, &now_,
                    row.oldStatus, row.oldType, who, now,
                    "undo of decision " + std::to_string(target)});
      stale = stale || changesMembership(now_, row.oldStatus, row.oldType);
      if (now_.facilityId >= 0) facilities.insert(now_.facilityId);
      outcome.detectionIds.push_back(row.detectionId);
      ++outcome.changed;
    }
    d.exec("UPDATE review_log SET undone = 1, undone_by = " + std::to_string(outcome.decisionId) +
           " WHERE decision_id = " + std::to_string(target));
    d.refreshFacilityStatus({facilities.begin(), facilities.end()});
    if (stale) d.putMetadata("facilities_stale", "1");
    return outcome;
  });
}

std::vector<ReviewLogEntry> Inventory::reviewLog(std::int64_t limit, std::int64_t decisionId) const {
  std::string sql = "SELECT fid + 0 AS log_id, * FROM review_log";
  if (decisionId > 0) sql += " WHERE decision_id = " + std::to_string(decisionId);
  sql += " ORDER BY fid DESC";
  if (limit >= 0) sql += " LIMIT " + std::to_string(limit);
  std::vector<ReviewLogEntry> out;
  selectSql(*impl_->ds, sql, [&](OGRFeature& f) { out.push_back(logEntryOf(f)); });
  return out;
}

}  // namespace emitrace::inventory
