#pragma once
// `emitrace inventory <verb>`: one file per verb, each mapping flags onto the
// core inventory API (core/inventory). Shared flag parsing lives here.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "core/inventory/facility_type.h"
#include "core/inventory/review_status.h"

namespace emitrace::cli {

void addInventoryCreateCommand(CLI::App& group);
void addInventoryMergeCommand(CLI::App& group);
void addInventoryReviewCommand(CLI::App& group);
void addInventoryListCommand(CLI::App& group);
void addInventoryExportCommand(CLI::App& group);
void addInventoryValidateCommand(CLI::App& group);
void addInventorySummaryCommand(CLI::App& group);

// "--status confirmed --status pending" / "confirmed,pending" -> statuses.
std::vector<inventory::ReviewStatus> parseStatuses(const std::vector<std::string>& names);
std::vector<inventory::FacilityType> parseTypes(const std::vector<std::string>& names);
// The reviewer recorded for command-line decisions: --reviewer, else $USER.
std::string defaultReviewer(const std::string& given);

}  // namespace emitrace::cli
