// core/inventory robustness: files that are not inventories or have another
// schema version, a review decision surviving a process killed in the middle
// of a write, concurrent readers and writers (several processes), and a
// writer waiting for another program's lock.
#include <QTemporaryDir>
#include <QtTest>

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "core/error.h"
#include "core/inventory/inventory.h"
#include "core/inventory/merge.h"
#include "core/progress.h"
#include "core/raster/gdal_util.h"
#include "tests/inventory/inventory_fixtures.h"

using namespace emitrace;
using namespace emitrace::inventory;
using emitrace::test::patch;

namespace {

template <typename E, typename F>
std::string expectError(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("WRONG TYPE: ") + e.what();
  }
  return "NO EXCEPTION";
}

// Enums compare through their names (QTest cannot print them).
#define QCOMPARE_ENUM(a, b) QCOMPARE(QString::fromStdString(toString(a)), QString::fromStdString(toString(b)))

#define QVERIFY_ERROR(Type, expr, fragment)                                                  \
  do {                                                                                       \
    const std::string _msg = expectError<Type>([&] { (void)(expr); });                       \
    QVERIFY2(_msg.find(fragment) != std::string::npos && _msg.rfind("WRONG TYPE", 0) != 0 && \
                 _msg != "NO EXCEPTION",                                                     \
             ("got: " + _msg).c_str());                                                      \
  } while (0)

class QuietProgress : public Progress {};

// Runs `body` in a forked child process; returns its pid. The child never
// returns into the test framework: it exits with body()'s value (2 on an
// exception).
pid_t forkChild(const std::function<int()>& body) {
  const pid_t pid = fork();
  if (pid == 0) {
    int rc = 2;
    try {
      rc = body();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "child failed: %s\n", e.what());
    }
    _exit(rc);
  }
  return pid;
}

int waitExit(pid_t pid, bool* killed = nullptr) {
  int status = 0;
  waitpid(pid, &status, 0);
  if (killed) *killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

char readByte(int fd) {
  char c = 0;
  return read(fd, &c, 1) == 1 ? c : 0;
}

void writeByte(int fd, char c) { (void)!write(fd, &c, 1); }

// In the child: signals the parent at the nth progress report of a write
// phase (rows are then written but not committed), then slows the write
// down so the parent kills it in the middle of the transaction.
class SignalWhenWriting : public Progress {
 public:
  SignalWhenWriting(int fd, const char* phase, int nth) : fd_(fd), phase_(phase), nth_(nth) {}

 protected:
  void onReport(double, const std::string& text) override {
    if (text.find(phase_) == std::string::npos) return;
    if (++seen_ == nth_) writeByte(fd_, 'B');
    if (seen_ >= nth_) std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }

 private:
  int fd_;
  const char* phase_;
  int nth_;
  int seen_ = 0;
};

std::string integrityCheck(const std::string& path) {
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
  if (!ds) return "cannot open";
  OGRLayer* r = ds->ExecuteSQL("PRAGMA integrity_check", nullptr, nullptr);
  std::string result = "no result";
  if (r) {
    OGRFeatureUniquePtr f(r->GetNextFeature());
    if (f) result = f->GetFieldAsString(0);
    ds->ReleaseResultSet(r);
  }
  return result;
}

void editWithGdal(const std::string& path, const std::function<void(GDALDataset&)>& edit) {
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
  edit(*ds);
}

void sql(GDALDataset& ds, const std::string& statement) {
  OGRLayer* r = ds.ExecuteSQL(statement.c_str(), nullptr, nullptr);
  if (r) ds.ReleaseResultSet(r);
}

}  // namespace

class TestInventoryRobustness : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void init();
  void notAnInventory_data();
  void notAnInventory();
  void decisionSurvivesKilledWriter();
  void facilitiesSurviveKilledMerge();
  void concurrentReadersAndWriters();
  void writerWaitsForAnotherProgramsLock();
  void copiesWithFeatureCountTablesAreShareable();

 private:
  std::string makeInventory(int detections);
  std::unique_ptr<QTemporaryDir> dir_;
  std::string path(const char* name) const { return dir_->filePath(name).toStdString(); }
};

void TestInventoryRobustness::init() {
  raster::ensureGdal();
  dir_ = std::make_unique<QTemporaryDir>();
}

std::string TestInventoryRobustness::makeInventory(int detections) {
  const std::string file = path("inv.gpkg");
  Inventory inv = Inventory::create(file);
  const std::string run = emitrace::test::beginTestRun(inv, "scan");
  std::vector<Detection> batch;
  for (int i = 0; i < detections; ++i) batch.push_back(patch(run, i / 40, i % 40, "Landfills"));
  inv.addDetections(batch);
  return file;
}

void TestInventoryRobustness::notAnInventory_data() {
  QTest::addColumn<QString>("kind");
  QTest::addColumn<QString>("type");
  QTest::addColumn<QString>("fragment");
  QTest::newRow("missing") << "missing" << "io" << "not found";
  QTest::newRow("folder") << "folder" << "input" << "is a folder";
  QTest::newRow("text file") << "text" << "input" << "is not a GeoPackage";
  QTest::newRow("empty file") << "empty" << "input" << "is not a GeoPackage";
  QTest::newRow("sqlite, not gpkg") << "sqlite" << "input" << "SQLite file but not a GeoPackage";
  QTest::newRow("plain gpkg") << "gpkg" << "input" << "is a GeoPackage but not an Emitrace inventory";
  QTest::newRow("other format") << "format" << "input" << "format 'acme-inventory'";
  QTest::newRow("newer schema") << "newer" << "input" << "written by a newer Emitrace (inventory schema version 2";
  QTest::newRow("older schema") << "older" << "input" << "older inventory schema version 0";
  QTest::newRow("garbled version") << "garbled" << "input" << "unreadable inventory schema version 'one'";
  QTest::newRow("missing layer") << "nolayer" << "input" << "the 'facilities' layer is missing";
  QTest::newRow("missing field") << "nofield" << "input" << "has no field 'review_note'";
}

void TestInventoryRobustness::notAnInventory() {
  QFETCH(QString, kind);
  QFETCH(QString, type);
  QFETCH(QString, fragment);
  std::string file = path("x.gpkg");
  if (kind == "folder") {
    file = path("folder.gpkg");
    std::filesystem::create_directory(file);
  } else if (kind == "text") {
    std::ofstream(file) << "not a geopackage\n";
  } else if (kind == "empty") {
    std::ofstream(file).flush();
  } else if (kind == "sqlite") {
    file = path("x.sqlite");
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("SQLite")->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ds->CreateLayer("t", nullptr, wkbNone);
  } else if (kind == "gpkg") {
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ds->CreateLayer("roads", nullptr, wkbLineString);
  } else if (kind != "missing") {
    { Inventory::create(file); }
    editWithGdal(file, [&](GDALDataset& ds) {
      if (kind == "format") sql(ds, "UPDATE emitrace_metadata SET value = 'acme-inventory' WHERE key = 'format'");
      if (kind == "newer") sql(ds, "UPDATE emitrace_metadata SET value = '2' WHERE key = 'schema_version'");
      if (kind == "older") sql(ds, "UPDATE emitrace_metadata SET value = '0' WHERE key = 'schema_version'");
      if (kind == "garbled") sql(ds, "UPDATE emitrace_metadata SET value = 'one' WHERE key = 'schema_version'");
      if (kind == "nolayer") {
        for (int i = 0; i < ds.GetLayerCount(); ++i) {
          if (std::string(ds.GetLayer(i)->GetName()) == "facilities") ds.DeleteLayer(i);
        }
      }
      if (kind == "nofield") {
        OGRLayer* l = ds.GetLayerByName("detections");
        l->DeleteField(l->GetLayerDefn()->GetFieldIndex("review_note"));
      }
    });
  }
  std::string before;
  if (std::filesystem::is_regular_file(file)) before = fileSha256(file);
  for (bool readOnly : {false, true}) {
    OpenOptions options;
    options.readOnly = readOnly;
    if (type == "io") QVERIFY_ERROR(IoError, Inventory::open(file, options), fragment.toStdString());
    else QVERIFY_ERROR(InputError, Inventory::open(file, options), fragment.toStdString());
  }
  // A refused file is left exactly as it was.
  if (!before.empty()) QCOMPARE(fileSha256(file), before);
  QVERIFY(!Inventory::looksLikeInventory(file) || kind == "format" || kind == "newer" || kind == "older" ||
          kind == "garbled" || kind == "nolayer" || kind == "nofield");
}

void TestInventoryRobustness::decisionSurvivesKilledWriter() {
  const std::string file = makeInventory(100);
  int fds[2];
  QVERIFY(pipe(fds) == 0);
  const pid_t child = forkChild([&] {
    close(fds[0]);
    Inventory inv = Inventory::open(file);
    inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Confirmed, std::nullopt, "before the crash", "ana"});
    writeByte(fds[1], 'A');
    // A large batch, slowed down: the parent kills us half-way through.
    std::vector<Detection> batch;
    const std::string run = inv.runs().front().runId;
    for (int i = 0; i < 20000; ++i) batch.push_back(patch(run, 100 + i / 200, i % 200, "WWTreatment"));
    SignalWhenWriting slow(fds[1], "writing detections", 3);  // after 512 rows
    inv.addDetections(batch, {}, slow);
    return 0;  // not reached
  });
  close(fds[1]);
  QCOMPARE(readByte(fds[0]), 'A');
  QCOMPARE(readByte(fds[0]), 'B');
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // rows are being inserted now
  kill(child, SIGKILL);
  bool killed = false;
  waitExit(child, &killed);
  close(fds[0]);
  QVERIFY(killed);

  QCOMPARE(integrityCheck(file), std::string("ok"));
  Inventory inv = Inventory::open(file);
  const auto d1 = inv.detection(1);
  QCOMPARE_ENUM(d1->status, ReviewStatus::Confirmed);
  QCOMPARE(d1->reviewNote, std::string("before the crash"));
  QCOMPARE(inv.reviewLog().size(), size_t(1));
  QCOMPARE(inv.countDetections(), std::int64_t(100));  // the interrupted batch left nothing
  // The file keeps working: writes, reviews, undo.
  const std::string run = inv.runs().front().runId;
  QCOMPARE(inv.addDetections({patch(run, 500, 0, "CAFOs")}).added, std::int64_t(1));
  inv.review({ReviewTarget::Detection, {2}, ReviewStatus::Rejected});
  QVERIFY(inv.undoLastDecision().has_value());
  QCOMPARE_ENUM(inv.detection(1)->status, ReviewStatus::Confirmed);
}

void TestInventoryRobustness::facilitiesSurviveKilledMerge() {
  const std::string file = makeInventory(2000);
  std::int64_t facilitiesBefore = 0;
  {
    Inventory inv = Inventory::open(file);
    QuietProgress p;
    mergeFacilities(inv, {}, p);
    facilitiesBefore = inv.countFacilities();
    // Break the block into many facilities: reject every other row of tiles.
    std::vector<std::int64_t> ids;
    for (const auto& d : inv.listDetections()) {
      if ((d.detection.tileId / 1000) % 2 == 1) ids.push_back(d.id);
    }
    inv.review({ReviewTarget::Detection, ids, ReviewStatus::Rejected});
  }
  QCOMPARE(facilitiesBefore, std::int64_t(1));
  int fds[2];
  QVERIFY(pipe(fds) == 0);
  const pid_t child = forkChild([&] {
    close(fds[0]);
    Inventory inv = Inventory::open(file);
    SignalWhenWriting slow(fds[1], "writing facilities", 2);  // old ones deleted
    mergeFacilities(inv, {}, slow);
    return 0;
  });
  close(fds[1]);
  QCOMPARE(readByte(fds[0]), 'B');
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  kill(child, SIGKILL);
  bool killed = false;
  waitExit(child, &killed);
  close(fds[0]);
  QVERIFY(killed);
  QCOMPARE(integrityCheck(file), std::string("ok"));
  Inventory inv = Inventory::open(file);
  QCOMPARE(inv.countFacilities(), facilitiesBefore);  // the old facilities, whole
  QVERIFY(inv.facilitiesStale());
  QuietProgress p;
  mergeFacilities(inv, {}, p);
  QCOMPARE(inv.countFacilities(), std::int64_t(25));  // 50 rows of tiles, every other one left
}

void TestInventoryRobustness::concurrentReadersAndWriters() {
  const std::string file = makeInventory(0);
  constexpr int kBatches = 100, kBatchSize = 25;
  const pid_t writer = forkChild([&] {
    Inventory inv = Inventory::open(file);
    const std::string run = inv.runs().front().runId;
    for (int b = 0; b < kBatches; ++b) {
      std::vector<Detection> batch;
      for (int i = 0; i < kBatchSize; ++i) batch.push_back(patch(run, b, i, "Landfills"));
      const auto added = inv.addDetections(batch);
      inv.review({ReviewTarget::Detection, {added.ids.front()}, ReviewStatus::Confirmed, std::nullopt, {}, "child"});
    }
    return 0;
  });
  // Meanwhile this process reads (one long-lived read-only connection and
  // fresh ones) and writes decisions of its own through a second connection.
  Inventory reader = Inventory::open(file, {true});
  Inventory parentWriter = Inventory::open(file);
  std::int64_t lastCount = 0;
  int reads = 0, partial = 0, parentDecisions = 0;
  std::vector<std::int64_t> markedUncertain;
  bool done = false;
  while (!done) {
    int status = 0;
    done = waitpid(writer, &status, WNOHANG) == writer;
    if (done) QCOMPARE(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
    const std::int64_t n = reader.countDetections();
    if (n % kBatchSize != 0) ++partial;
    QVERIFY(n >= lastCount);
    lastCount = n;
    Inventory fresh = Inventory::open(file, {true});
    QVERIFY(fresh.countDetections() >= n);
    QVERIFY(fresh.listDetections({}).size() >= size_t(n));
    ++reads;
    const std::int64_t target = std::int64_t(parentDecisions) * kBatchSize + 2;
    if (target <= n) {
      parentWriter.review({ReviewTarget::Detection, {target}, ReviewStatus::Uncertain, std::nullopt, {}, "parent"});
      markedUncertain.push_back(target);
      ++parentDecisions;
    }
  }
  QCOMPARE(partial, 0);  // a reader never sees half a batch
  QVERIFY(reads > 1);
  QCOMPARE(reader.countDetections(), std::int64_t(kBatches * kBatchSize));
  QVERIFY(parentDecisions > 0);
  for (std::int64_t id : markedUncertain) QCOMPARE_ENUM(reader.detection(id)->status, ReviewStatus::Uncertain);
  DetectionFilter confirmed;
  confirmed.statuses = {ReviewStatus::Confirmed};
  QCOMPARE(reader.countDetections(confirmed), std::int64_t(kBatches));
  QCOMPARE(reader.reviewLog().size(), size_t(kBatches + parentDecisions));
  qInfo("%d concurrent reads, %d decisions from the second writer", reads, parentDecisions);
}

void TestInventoryRobustness::writerWaitsForAnotherProgramsLock() {
  const std::string file = makeInventory(3);
  int fds[2];
  QVERIFY(pipe(fds) == 0);
  // Another program (plain GDAL, like QGIS saving edits) holds the write
  // lock for 1.5 s.
  const pid_t holder = forkChild([&] {
    close(fds[0]);
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    if (!ds || ds->StartTransaction() != OGRERR_NONE) return 3;
    sql(*ds, "UPDATE detections SET review_note = 'edited in QGIS' WHERE fid = 3");
    writeByte(fds[1], 'L');
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    return ds->CommitTransaction() == OGRERR_NONE ? 0 : 4;
  });
  close(fds[1]);
  QCOMPARE(readByte(fds[0]), 'L');
  {
    OpenOptions impatient;
    impatient.busyTimeoutMs = 200;
    Inventory inv = Inventory::open(file, impatient);
    QVERIFY_ERROR(IoError, inv.review({ReviewTarget::Detection, {1}, ReviewStatus::Confirmed}),
                  "locked by another program");
    QCOMPARE_ENUM(inv.detection(1)->status, ReviewStatus::Pending);
  }
  Inventory patient = Inventory::open(file);  // default: waits up to 15 s
  const auto start = std::chrono::steady_clock::now();
  patient.review({ReviewTarget::Detection, {2}, ReviewStatus::Confirmed});
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  QCOMPARE(waitExit(holder), 0);
  close(fds[0]);
  QCOMPARE_ENUM(patient.detection(2)->status, ReviewStatus::Confirmed);
  QCOMPARE(patient.detection(3)->reviewNote, std::string("edited in QGIS"));
  qInfo("the review waited %.2f s for the other writer", waited);
}

void TestInventoryRobustness::copiesWithFeatureCountTablesAreShareable() {
  // A copy made by plain ogr2ogr carries gpkg_ogr_contents and its triggers.
  const std::string file = makeInventory(30);
  const std::string copy = path("copy.gpkg");
  {
    GDALDatasetUniquePtr src(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR));
    auto argv = raster::toCsl({"-f", "GPKG", "-preserve_fid"});
    GDALVectorTranslateOptions* options = GDALVectorTranslateOptionsNew(argv.get(), nullptr);
    GDALDatasetH srcHandle = GDALDataset::ToHandle(src.get());
    GDALDatasetH out = GDALVectorTranslate(copy.c_str(), nullptr, 1, &srcHandle, options, nullptr);
    GDALVectorTranslateOptionsFree(options);
    QVERIFY(out);
    GDALClose(out);
  }
  auto hasOgrContents = [&] {
    GDALDatasetUniquePtr ds(GDALDataset::Open(copy.c_str(), GDAL_OF_VECTOR));
    OGRLayer* r = ds->ExecuteSQL("SELECT COUNT(*) FROM sqlite_master WHERE name = 'gpkg_ogr_contents'", nullptr, nullptr);
    OGRFeatureUniquePtr f(r->GetNextFeature());
    const bool found = f->GetFieldAsInteger(0) > 0;
    ds->ReleaseResultSet(r);
    return found;
  };
  QVERIFY(hasOgrContents());
  { Inventory inv = Inventory::open(copy, {true}); }  // read-only: untouched
  QVERIFY(hasOgrContents());
  Inventory a = Inventory::open(copy);
  QVERIFY(!hasOgrContents());
  // Two writers on the copy no longer fight over GDAL's count triggers.
  Inventory b = Inventory::open(copy);
  const std::string run = a.runs().front().runId;
  for (int i = 0; i < 5; ++i) {
    a.addDetections({patch(run, 100 + i, 0, "CAFOs")});
    b.review({ReviewTarget::Detection, {i + 1}, ReviewStatus::Confirmed});
    b.addDetections({patch(run, 200 + i, 0, "CAFOs")});
    a.review({ReviewTarget::Detection, {i + 10}, ReviewStatus::Rejected});
  }
  QCOMPARE(a.countDetections(), std::int64_t(40));
  GDALDatasetUniquePtr ds(GDALDataset::Open(copy.c_str(), GDAL_OF_VECTOR));
  QCOMPARE(ds->GetLayerByName("detections")->GetFeatureCount(), GIntBig(40));
  QCOMPARE(ds->GetLayerByName("review_log")->GetFeatureCount(), GIntBig(10));
}

QTEST_GUILESS_MAIN(TestInventoryRobustness)
#include "test_inventory_robustness.moc"
