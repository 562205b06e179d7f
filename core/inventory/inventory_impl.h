#pragma once
// Internal state of an open inventory, shared by the files implementing
// Inventory and the inventory operations. Not a public header.
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <type_traits>

#include "core/error.h"
#include "core/inventory/inventory.h"
#include "core/inventory/schema.h"
#include "core/inventory/sql_util.h"
#include "core/raster/gdal_util.h"

namespace emitrace::inventory {

struct Inventory::Impl {
  std::string path;
  bool readOnly = false;
  int busyTimeoutMs = 15000;
  int schemaVersion = 0;
  GDALDatasetUniquePtr ds;
  bool inWrite = false;

  OGRLayer* layer(const char* name) const {
    OGRLayer* l = ds->GetLayerByName(name);
    if (!l) throw IoError("inventory '" + path + "' has no '" + name + "' layer");
    return l;
  }
  void requireWritable() const {
    if (readOnly) {
      throw InputError("inventory '" + path + "' was opened read-only; open it for update to change it");
    }
  }

  // Runs `body` inside one write transaction and commits. While SQLite
  // reports the database locked by another writer (QGIS saving edits, a
  // second scan), the whole transaction is rolled back and retried with
  // back-off until busyTimeoutMs has passed. Any other exception rolls back
  // and propagates: nothing of the body remains. `body` must therefore be
  // repeatable (compute everything inside it).
  template <typename F>
  auto write(F&& body) -> decltype(body()) {
    requireWritable();
    if (inWrite) return body();  // nested: part of the outer transaction
    using Result = decltype(body());
    const auto start = std::chrono::steady_clock::now();
    int attempt = 0;
    for (;;) {
      begin();
      try {
        if constexpr (std::is_void_v<Result>) {
          body();
          commit();
          return;
        } else {
          Result result = body();
          commit();
          return result;
        }
      } catch (const BusyError& e) {
        rollback();
        const auto waited = std::chrono::steady_clock::now() - start;
        if (waited > std::chrono::milliseconds(busyTimeoutMs)) {
          char waitedText[32];
          std::snprintf(waitedText, sizeof waitedText, "%.1f", busyTimeoutMs / 1000.0);
          throw IoError("inventory '" + path + "' stayed locked by another program for " + waitedText +
                        " s (QGIS or the analyst app saving edits?); try again (" + e.what() + ")");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(200, 5 << std::min(attempt, 5))));
        ++attempt;
      } catch (...) {
        rollback();
        throw;
      }
    }
  }

  void begin();
  void commit();
  void rollback() noexcept;

  void exec(const std::string& sql) { executeSql(*ds, sql); }
  // Writes `value` under `key` in emitrace_metadata (inside a write).
  void putMetadata(const std::string& key, const std::string& value);
  std::string getMetadata(const std::string& key) const;
  // Recomputes the review_status of these facilities (and their points)
  // from their non-plume members. Inside a write.
  void refreshFacilityStatus(const std::vector<std::int64_t>& facilityIds);
  // Next decision id for review_log (inside a write).
  std::int64_t nextDecisionId();
};

// Writes a new feature and returns its id; throws BusyError/IoError.
std::int64_t createFeature(OGRLayer& layer, OGRFeature& feature, const std::string& what);

}  // namespace emitrace::inventory
