// Inventory: creating and opening the GeoPackage, metadata, transactions.
#include "core/inventory/inventory.h"

#include <cpl_conv.h>

#include <filesystem>
#include <fstream>

#include "core/inventory/inventory_impl.h"
#include "core/partial_output.h"

namespace emitrace::inventory {
namespace {

// Sets a GDAL config option for this thread only, restoring it on scope exit
// (so WAL mode and the busy timeout apply to the connection we open, not to
// other GDAL users in the process).
class ScopedThreadConfig {
 public:
  ScopedThreadConfig(const char* key, const std::string& value) : key_(key) {
    const char* old = CPLGetThreadLocalConfigOption(key, nullptr);
    if (old) old_ = old, hadOld_ = true;
    CPLSetThreadLocalConfigOption(key, value.c_str());
  }
  ~ScopedThreadConfig() { CPLSetThreadLocalConfigOption(key_, hadOld_ ? old_.c_str() : nullptr); }
  ScopedThreadConfig(const ScopedThreadConfig&) = delete;
  ScopedThreadConfig& operator=(const ScopedThreadConfig&) = delete;

 private:
  const char* key_;
  std::string old_;
  bool hadOld_ = false;
};

bool startsWithSqliteMagic(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char header[16] = {};
  in.read(header, sizeof header);
  return in.gcount() == 16 && std::string(header, 15) == "SQLite format 3";
}

GDALDatasetUniquePtr openGpkg(const std::string& path, bool update, int busyTimeoutMs) {
  raster::ensureGdal();
  ScopedThreadConfig journal("OGR_SQLITE_JOURNAL", "WAL");
  // Applied by GDAL right after sqlite3_open, before it reads anything.
  ScopedThreadConfig pragmas("OGR_SQLITE_PRAGMA", "busy_timeout=" + std::to_string(busyTimeoutMs));
  const char* drivers[] = {"GPKG", nullptr};
  raster::GdalErrorCapture errors;
  GDALDatasetUniquePtr ds(GDALDataset::Open(
      path.c_str(), GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY), drivers));
  if (!ds) {
    if (!startsWithSqliteMagic(path)) {
      throw InputError("'" + path +
                       "' is not a GeoPackage; an Emitrace inventory is a GeoPackage created by "
                       "`emitrace inventory create`" + errors.suffix());
    }
    if (errors.lastError().find("locked") != std::string::npos) {
      throw IoError("cannot open inventory '" + path + "': it is locked by another program" +
                    errors.suffix());
    }
    throw InputError("'" + path + "' is an SQLite file but not a GeoPackage GDAL can open" +
                     errors.suffix());
  }
  return ds;
}

void applyConnectionSettings(GDALDataset& ds, bool update, int busyTimeoutMs) {
  executeSql(ds, "PRAGMA busy_timeout = " + std::to_string(busyTimeoutMs));
  // FULL: a committed review decision survives a power cut, not only a crash.
  if (update) executeSql(ds, "PRAGMA synchronous = FULL");
  // A big transaction (a merge of 100,000 detections) grows the WAL to its
  // size; give the space back once it has been checkpointed.
  if (update) executeSql(ds, "PRAGMA journal_size_limit = 67108864");
}

// An inventory copied by other tools (ogr2ogr) may carry GDAL's
// gpkg_ogr_contents feature counts, whose triggers GDAL drops and re-creates
// per connection as it writes; two writers then collide. Remove it (the
// counts come from COUNT(*) instead).
void dropOgrContents(const std::string& path, int busyTimeoutMs) {
  GDALDatasetUniquePtr ds = openGpkg(path, true, busyTimeoutMs);
  std::vector<std::string> triggers;
  selectSql(*ds, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'trigger_%_feature_count_%'",
            [&](OGRFeature& f) { triggers.push_back(f.GetFieldAsString(0)); });
  raster::GdalErrorCapture errors;
  if (ds->StartTransaction() != OGRERR_NONE) {
    throw IoError("cannot update inventory '" + path + "'" + errors.suffix());
  }
  for (const auto& t : triggers) executeSql(*ds, "DROP TRIGGER IF EXISTS \"" + t + "\"");
  executeSql(*ds, "DROP TABLE IF EXISTS gpkg_ogr_contents");
  if (ds->CommitTransaction() != OGRERR_NONE) {
    throw IoError("cannot update inventory '" + path + "'" + errors.suffix());
  }
}

}  // namespace

std::int64_t createFeature(OGRLayer& layer, OGRFeature& feature, const std::string& what) {
  raster::GdalErrorCapture errors;
  if (layer.CreateFeature(&feature) != OGRERR_NONE) {
    throwWriteError("cannot write " + what, errors.lastError());
  }
  return feature.GetFID();
}

// --- Impl ----------------------------------------------------------------

void Inventory::Impl::begin() {
  raster::GdalErrorCapture errors;
  if (ds->StartTransaction() != OGRERR_NONE) {
    throwWriteError("cannot start a transaction on '" + path + "'", errors.lastError());
  }
  inWrite = true;
}

void Inventory::Impl::commit() {
  raster::GdalErrorCapture errors;
  if (ds->CommitTransaction() != OGRERR_NONE) {
    throwWriteError("cannot commit to '" + path + "' (disk full?)", errors.lastError());
  }
  inWrite = false;
}

void Inventory::Impl::rollback() noexcept {
  if (!inWrite) return;
  raster::GdalErrorCapture errors;
  ds->RollbackTransaction();
  inWrite = false;
}

void Inventory::Impl::putMetadata(const std::string& key, const std::string& value) {
  OGRLayer* meta = layer(schema::kMetadata);
  const std::int64_t fid =
      selectInt(*ds, "SELECT fid + 0 FROM emitrace_metadata WHERE key = " + sqlQuote(key), -1);
  if (fid >= 0) {
    exec("UPDATE emitrace_metadata SET value = " + sqlQuote(value) + " WHERE fid = " +
         std::to_string(fid));
    return;
  }
  OGRFeatureUniquePtr f(OGRFeature::CreateFeature(meta->GetLayerDefn()));
  f->SetField("key", key.c_str());
  f->SetField("value", value.c_str());
  createFeature(*meta, *f, "inventory metadata '" + key + "'");
}

std::string Inventory::Impl::getMetadata(const std::string& key) const {
  return selectText(*ds, "SELECT value FROM emitrace_metadata WHERE key = " + sqlQuote(key));
}

std::int64_t Inventory::Impl::nextDecisionId() {
  return selectInt(*ds, "SELECT COALESCE(MAX(decision_id), 0) + 1 FROM review_log", 1);
}

void Inventory::Impl::refreshFacilityStatus(const std::vector<std::int64_t>& facilityIds) {
  for (std::int64_t id : facilityIds) {
    int pending = 0, uncertain = 0, kept = 0;
    selectSql(*ds,
              "SELECT review_status, COUNT(*) FROM detections WHERE facility_id = " +
                  std::to_string(id) +
                  " AND facility_role = 'member' GROUP BY review_status",
              [&](OGRFeature& f) {
                const ReviewStatus s = parseReviewStatus(f.GetFieldAsString(0));
                const int n = f.GetFieldAsInteger(1);
                if (s == ReviewStatus::Rejected) return;
                kept += n;
                if (s == ReviewStatus::Pending) pending += n;
                if (s == ReviewStatus::Uncertain) uncertain += n;
              });
    const ReviewStatus status = kept == 0        ? ReviewStatus::Rejected
                                : pending > 0    ? ReviewStatus::Pending
                                : uncertain > 0  ? ReviewStatus::Uncertain
                                                 : ReviewStatus::Confirmed;
    const std::string value = sqlQuote(toString(status));
    exec("UPDATE facilities SET review_status = " + value + " WHERE fid = " + std::to_string(id));
    exec("UPDATE facility_points SET review_status = " + value +
         " WHERE facility_id = " + std::to_string(id));
  }
}

// --- Inventory -------------------------------------------------------------

Inventory::Inventory(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Inventory::Inventory(Inventory&&) noexcept = default;
Inventory& Inventory::operator=(Inventory&&) noexcept = default;
Inventory::~Inventory() {
  if (impl_) {
    impl_->rollback();
    raster::GdalErrorCapture errors;  // closing errors cannot be reported from a destructor
    impl_->ds.reset();
  }
}

Inventory Inventory::create(const std::string& path, const CreateOptions& options) {
  raster::ensureGdal();
  if (path.empty()) throw InputError("no inventory path given");
  {
    PartialOutput output(path, options.overwrite);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw IoError("GDAL has no GeoPackage driver");
    {
      ScopedThreadConfig journal("OGR_SQLITE_JOURNAL", "WAL");
      raster::GdalErrorCapture errors;
      // No gpkg_ogr_contents: GDAL keeps that feature count per connection
      // and drops/re-creates its triggers as it writes, which breaks when
      // several programs write one file. Counts come from COUNT(*) instead.
      auto options = raster::toCsl({"ADD_GPKG_OGR_CONTENTS=NO"});
      GDALDatasetUniquePtr ds(
          driver->Create(output.path().c_str(), 0, 0, 0, GDT_Unknown, options.get()));
      if (!ds) throw IoError("cannot create inventory '" + path + "'" + errors.suffix());
      raster::GdalErrorCapture writeErrors;
      // No transaction needed: the file gets its final name only once complete.
      schema::createSchema(*ds);
      ds.reset();
      if (!writeErrors.lastError().empty()) {
        throw IoError("cannot finish inventory '" + path + "'" + writeErrors.suffix());
      }
    }
    output.commit();
  }
  OpenOptions open;
  open.busyTimeoutMs = options.busyTimeoutMs;
  return Inventory::open(path, open);
}

Inventory Inventory::open(const std::string& path, const OpenOptions& options) {
  if (path.empty()) throw InputError("no inventory path given");
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    throw IoError("inventory '" + path + "' not found; create one with `emitrace inventory create`");
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw InputError("'" + path + "' is a folder, not an inventory GeoPackage");
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->readOnly = options.readOnly;
  impl->busyTimeoutMs = std::max(0, options.busyTimeoutMs);
  // Check read-only first: a file that is not an inventory we can read is
  // refused without a single byte changed (an update open would, e.g.,
  // switch it to WAL mode).
  impl->ds = openGpkg(path, false, impl->busyTimeoutMs);
  impl->schemaVersion = schema::checkSchema(*impl->ds, path);
  if (!options.readOnly) {
    const bool ogrContents = impl->ds->GetLayerByName("gpkg_ogr_contents") != nullptr ||
                             selectInt(*impl->ds,
                                       "SELECT COUNT(*) FROM sqlite_master WHERE name = 'gpkg_ogr_contents'") > 0;
    impl->ds.reset();
    if (ogrContents) dropOgrContents(path, impl->busyTimeoutMs);
    impl->ds = openGpkg(path, true, impl->busyTimeoutMs);
    impl->schemaVersion = schema::checkSchema(*impl->ds, path);
  }
  applyConnectionSettings(*impl->ds, !options.readOnly, impl->busyTimeoutMs);
  return Inventory(std::move(impl));
}

bool Inventory::looksLikeInventory(const std::string& path) {
  try {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec) || !startsWithSqliteMagic(path)) return false;
    GDALDatasetUniquePtr ds = openGpkg(path, false, 1000);
    return ds->GetLayerByName(schema::kMetadata) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

const std::string& Inventory::path() const { return impl_->path; }
bool Inventory::readOnly() const { return impl_->readOnly; }
int Inventory::schemaVersion() const { return impl_->schemaVersion; }
std::string Inventory::createdAt() const { return impl_->getMetadata("created_at"); }
std::string Inventory::createdBy() const { return impl_->getMetadata("created_by"); }
bool Inventory::facilitiesStale() const { return impl_->getMetadata("facilities_stale") == "1"; }

std::string Inventory::metadata(const std::string& key) const { return impl_->getMetadata(key); }

void Inventory::setMetadata(const std::string& key, const std::string& value) {
  if (key == "format" || key == "schema_version") {
    throw InputError("inventory metadata '" + key + "' is managed by Emitrace and cannot be set");
  }
  impl_->write([&] { impl_->putMetadata(key, value); });
}

}  // namespace emitrace::inventory
