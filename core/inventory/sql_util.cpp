#include "core/inventory/sql_util.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

#include "core/raster/gdal_util.h"

namespace emitrace::inventory {

std::string sqlQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "''";
    else out.push_back(c);
  }
  out += "'";
  return out;
}

std::string sqlNumber(double value) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return buf;
}

std::string sqlIdList(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return "(NULL)";
  std::string out = "(";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ",";
    out += std::to_string(ids[i]);
  }
  return out + ")";
}

void throwWriteError(const std::string& what, const std::string& gdalMessage) {
  if (gdalMessage.find("is locked") != std::string::npos ||
      gdalMessage.find("database is busy") != std::string::npos) {
    throw BusyError(what + ": the inventory is locked by another program (GDAL: " + gdalMessage + ")");
  }
  throw IoError(what + (gdalMessage.empty() ? "" : " (GDAL: " + gdalMessage + ")"));
}

void executeSql(GDALDataset& ds, const std::string& sql) {
  raster::GdalErrorCapture errors;
  OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (result) ds.ReleaseResultSet(result);
  if (!errors.lastError().empty()) {
    throwWriteError("inventory statement failed [" + sql.substr(0, 120) + "]", errors.lastError());
  }
}

void selectSql(GDALDataset& ds, const std::string& sql,
               const std::function<void(OGRFeature&)>& row) {
  raster::GdalErrorCapture errors;
  OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (!result) {
    if (!errors.lastError().empty()) {
      throwWriteError("inventory query failed [" + sql.substr(0, 120) + "]", errors.lastError());
    }
    return;
  }
  struct Release {
    GDALDataset& ds;
    OGRLayer* layer;
    ~Release() { ds.ReleaseResultSet(layer); }
  } release{ds, result};
  for (auto& f : *result) row(*f);
  if (!errors.lastError().empty()) {
    throwWriteError("inventory query failed [" + sql.substr(0, 120) + "]", errors.lastError());
  }
}

std::string selectText(GDALDataset& ds, const std::string& sql) {
  std::string value;
  bool first = true;
  selectSql(ds, sql, [&](OGRFeature& f) {
    if (first && f.GetFieldCount() > 0 && f.IsFieldSetAndNotNull(0)) value = f.GetFieldAsString(0);
    first = false;
  });
  return value;
}

std::int64_t selectInt(GDALDataset& ds, const std::string& sql, std::int64_t fallback) {
  std::int64_t value = fallback;
  bool first = true;
  selectSql(ds, sql, [&](OGRFeature& f) {
    if (first && f.GetFieldCount() > 0 && f.IsFieldSetAndNotNull(0)) {
      value = f.GetFieldAsInteger64(0);
    }
    first = false;
  });
  return value;
}

std::string nowIso() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t t = system_clock::to_time_t(now);
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string randomHexId() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<std::uint64_t>(rd()) << 32) ^ rd() ^
                      static_cast<std::uint64_t>(
                          std::chrono::high_resolution_clock::now().time_since_epoch().count()));
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(gen()),
                static_cast<unsigned long long>(gen()));
  return buf;
}

}  // namespace emitrace::inventory
