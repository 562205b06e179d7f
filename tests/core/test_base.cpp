// Core base: errors, progress/cancellation, write-then-rename outputs, data lookup.
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

#include "core/data_paths.h"
#include "core/error.h"
#include "core/partial_output.h"
#include "core/progress.h"
#include "core/sha256.h"

using namespace emitrace;

namespace {

class RecordingProgress : public Progress {
 public:
  std::vector<double> fractions;
  std::vector<std::string> warned;

 protected:
  void onReport(double f, const std::string&) override { fractions.push_back(f); }
  void onWarn(const std::string& t) override { warned.push_back(t); }
};

bool exists(const std::string& p) { return std::filesystem::exists(p); }

}  // namespace

class TestBase : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void errorsAreTyped();
  void progressClampsAndRecords();
  void subProgressScales_data();
  void subProgressScales();
  void cancelReachesNestedScopes();
  void partialOutputCommits();
  void partialOutputDiscardsOnDestruction();
  void partialOutputRejectsMissingFolder();
  void partialOutputRefusesOverwriteWhenAsked();
  void dataFilesAreFound();
  void missingDataFileNamesPlaces();
  void sha256KnownVectors();
};

void TestBase::errorsAreTyped() {
  try {
    throw InputError("band 'B99' not found");
  } catch (const Error& e) {
    QCOMPARE(std::string(e.what()), std::string("band 'B99' not found"));
  }
  QVERIFY_THROWS_EXCEPTION(Error, throw IoError("x"));
  QVERIFY_THROWS_EXCEPTION(Error, throw ModelFileError("x"));
  QVERIFY_THROWS_EXCEPTION(Error, throw Canceled());
  QVERIFY(std::string(Canceled().what()).find("cancel") != std::string::npos);
}

void TestBase::progressClampsAndRecords() {
  RecordingProgress p;
  p.report(-1.0);
  p.report(0.5);
  p.report(7.0);
  p.report(std::nan(""));
  QCOMPARE(p.fractions, (std::vector<double>{0.0, 0.5, 1.0, 0.0}));
  p.warn("fallback used");
  QCOMPARE(p.warnings().size(), size_t(1));
  QCOMPARE(p.warned.front(), std::string("fallback used"));
}

void TestBase::subProgressScales_data() {
  QTest::addColumn<double>("from");
  QTest::addColumn<double>("to");
  QTest::addColumn<double>("inner");
  QTest::addColumn<double>("outer");
  QTest::newRow("start") << 0.2 << 0.6 << 0.0 << 0.2;
  QTest::newRow("middle") << 0.2 << 0.6 << 0.5 << 0.4;
  QTest::newRow("end") << 0.2 << 0.6 << 1.0 << 0.6;
  QTest::newRow("whole") << 0.0 << 1.0 << 0.25 << 0.25;
}

void TestBase::subProgressScales() {
  QFETCH(double, from);
  QFETCH(double, to);
  QFETCH(double, inner);
  QFETCH(double, outer);
  RecordingProgress root;
  auto sub = root.sub(from, to);
  sub.report(inner);
  QVERIFY(!root.fractions.empty());
  QVERIFY(std::abs(root.fractions.back() - outer) < 1e-12);
  // Nested twice: [0.5, 1] of [from, to].
  auto subsub = sub.sub(0.5, 1.0);
  subsub.report(0.0);
  QVERIFY(std::abs(root.fractions.back() - (from + 0.5 * (to - from))) < 1e-12);
  subsub.warn("w");
  QCOMPARE(root.warned.size(), size_t(1));
}

void TestBase::cancelReachesNestedScopes() {
  Progress root;
  auto sub = root.sub(0.0, 0.5);
  auto subsub = sub.sub(0.0, 1.0);
  subsub.throwIfCanceled();  // not cancelled: no throw
  root.cancel();
  QVERIFY(sub.isCanceled());
  QVERIFY(subsub.isCanceled());
  QVERIFY_THROWS_EXCEPTION(Canceled, subsub.throwIfCanceled());
  // Cancelling a child does not cancel the parent.
  Progress other;
  auto child = other.sub(0, 1);
  child.cancel();
  QVERIFY(!other.isCanceled());
}

void TestBase::partialOutputCommits() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("out.tif").toStdString();
  {
    PartialOutput out(path);
    QCOMPARE(out.path(), dir.filePath("out.partial.tif").toStdString());
    std::ofstream(out.path()) << "data";
    QVERIFY(!exists(path));
    out.commit();
    QVERIFY(out.committed());
  }
  QVERIFY(exists(path));
  QVERIFY(!exists(dir.filePath("out.partial.tif").toStdString()));
  // Overwrite by default, and a stale sidecar of the old file goes away.
  std::ofstream(path + ".aux.xml") << "stale";
  {
    PartialOutput out(path);
    std::ofstream(out.path()) << "new";
    out.commit();
  }
  std::ifstream in(path);
  std::string content;
  in >> content;
  QCOMPARE(content, std::string("new"));
  QVERIFY(!exists(path + ".aux.xml"));
}

void TestBase::partialOutputDiscardsOnDestruction() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("x.gpkg").toStdString();
  std::string partial;
  try {
    PartialOutput out(path);
    partial = out.path();
    std::ofstream(out.path()) << "half";
    std::ofstream(out.path() + "-wal") << "half";
    throw IoError("disk full");
  } catch (const IoError&) {
  }
  QVERIFY(!partial.empty());
  QVERIFY(!exists(partial));
  QVERIFY(!exists(partial + "-wal"));
  QVERIFY(!exists(path));
}

void TestBase::partialOutputRejectsMissingFolder() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("no/such/folder/out.tif").toStdString();
  try {
    PartialOutput out(path);
    QFAIL("expected IoError");
  } catch (const IoError& e) {
    QVERIFY2(std::string(e.what()).find("does not exist") != std::string::npos, e.what());
  }
  // A file where the folder should be.
  const std::string file = dir.filePath("plainfile").toStdString();
  std::ofstream(file) << "x";
  QVERIFY_THROWS_EXCEPTION(IoError, PartialOutput(file + "/out.tif"));
}

void TestBase::partialOutputRefusesOverwriteWhenAsked() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("keep.tif").toStdString();
  std::ofstream(path) << "precious";
  QVERIFY_THROWS_EXCEPTION(IoError, PartialOutput(path, /*overwrite=*/false));
  QVERIFY(exists(path));
}

void TestBase::dataFilesAreFound() {
  const std::string lut = findDataFile("resources/ch4_lut/ch4.hdr");
  QVERIFY(exists(lut));
  const std::string sample = findDataFile("samples/sentinel1_vv/LICENSE.txt");
  QVERIFY(exists(sample));
  // EMITRACE_DATA_DIR takes precedence.
  QTemporaryDir dir;
  std::filesystem::create_directories(dir.filePath("resources").toStdString());
  std::ofstream(dir.filePath("resources/marker.txt").toStdString()) << "x";
  qputenv("EMITRACE_DATA_DIR", dir.path().toUtf8());
  QCOMPARE(findDataFile("resources/marker.txt"), dir.filePath("resources/marker.txt").toStdString());
  qunsetenv("EMITRACE_DATA_DIR");
}

void TestBase::missingDataFileNamesPlaces() {
  try {
    findDataFile("resources/does-not-exist.bin");
    QFAIL("expected IoError");
  } catch (const IoError& e) {
    const std::string msg = e.what();
    QVERIFY2(msg.find("does-not-exist.bin") != std::string::npos, e.what());
    QVERIFY2(msg.find("EMITRACE_DATA_DIR") != std::string::npos, e.what());
  }
}

void TestBase::sha256KnownVectors() {
  // FIPS 180-4 examples.
  QCOMPARE(sha256Hex("abc", 3), std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  QCOMPARE(sha256Hex("", 0), std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  const std::string two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  QCOMPARE(sha256Hex(two.data(), two.size()),
           std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
  QTemporaryDir dir;
  const std::string path = dir.filePath("million-a").toStdString();
  std::ofstream(path) << std::string(1000000, 'a');
  QCOMPARE(sha256OfFile(path), std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
  QVERIFY_THROWS_EXCEPTION(IoError, sha256OfFile(dir.filePath("missing").toStdString()));
}

QTEST_GUILESS_MAIN(TestBase)
#include "test_base.moc"
