#pragma once
// SQL through GDAL's GeoPackage driver (the native SQLite dialect), with
// errors turned into emitrace errors. Internal to core/inventory.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"

namespace emitrace::inventory {

// SQLite said "database is locked": another connection holds the write lock
// (or our read snapshot went stale). Write transactions catch it and retry.
class BusyError : public IoError {
 public:
  using IoError::IoError;
};

// 'text' with quotes doubled, for SQL string literals.
std::string sqlQuote(const std::string& text);
// A double as an SQL literal with full precision.
std::string sqlNumber(double value);
// "(1,2,3)" for an IN clause; "(NULL)" for an empty list.
std::string sqlIdList(const std::vector<std::int64_t>& ids);

// Runs a statement that returns no rows (UPDATE, CREATE INDEX, PRAGMA x=y).
// Throws BusyError when the database is locked, IoError otherwise.
void executeSql(GDALDataset& ds, const std::string& sql);
// Runs a SELECT and calls `row` for each result feature.
void selectSql(GDALDataset& ds, const std::string& sql, const std::function<void(OGRFeature&)>& row);
// First column of the first row as text/integer ("" / fallback when no row).
std::string selectText(GDALDataset& ds, const std::string& sql);
std::int64_t selectInt(GDALDataset& ds, const std::string& sql, std::int64_t fallback = 0);

// Throws BusyError if `gdalMessage` says the database is locked, else IoError
// with `what` and the message.
[[noreturn]] void throwWriteError(const std::string& what, const std::string& gdalMessage);

// Current UTC time as ISO 8601 with milliseconds ("2025-03-01T12:00:00.123Z").
std::string nowIso();
// 32 random hex digits (run ids).
std::string randomHexId();

}  // namespace emitrace::inventory
