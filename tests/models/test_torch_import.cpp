// core/models/torch_import: reading torch.save checkpoints written by
// Debian's python3-torch (made in initTestCase by
// tests/data/torch_import/make_fixtures.py), comparing every tensor exactly
// with numpy's copy of it, refusing files that are not checkpoints, and
// applying state dicts to LibTorch modules through a name map.
// LibTorch before Qt: Qt's `slots` macro breaks torch's headers (ivalue_inl.h).
#include <torch/torch.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/models/torch_import/checkpoint_summary.h"
#include "core/models/torch_import/torch_import.h"
#include "core/models/torch_import/unpickler.h"
#include "core/models/torch_import/zip_reader.h"

using namespace emitrace;
using namespace emitrace::models::torch_import;

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

#define QVERIFY_ERROR(Type, expr, fragment)                                              \
  do {                                                                                   \
    const std::string _msg = expectError<Type>([&] { (void)(expr); });                   \
    QVERIFY2(_msg.find(fragment) != std::string::npos && _msg.rfind("WRONG TYPE", 0) != 0 && \
                 _msg != "NO EXCEPTION",                                                 \
             ("got: " + _msg).c_str());                                                  \
  } while (0)

bool contains(const std::string& text, const std::string& fragment) {
  return text.find(fragment) != std::string::npos;
}

std::string dtypeName(const torch::Tensor& t) {
  switch (t.scalar_type()) {
    case torch::kFloat: return "float32";
    case torch::kDouble: return "float64";
    case torch::kHalf: return "float16";
    case torch::kBFloat16: return "bfloat16";
    case torch::kComplexFloat: return "complex64";
    case torch::kLong: return "int64";
    case torch::kInt: return "int32";
    case torch::kShort: return "int16";
    case torch::kChar: return "int8";
    case torch::kByte: return "uint8";
    case torch::kBool: return "bool";
    default: return "other";
  }
}

std::vector<std::int64_t> jsonShape(const QJsonArray& a) {
  std::vector<std::int64_t> out;
  for (const auto& v : a) out.push_back(v.toInteger());
  return out;
}

// The network of the apply tests, with our own attribute names: the Python
// one (make_fixtures.py) calls them features.0, features.1 and head.
struct NetImpl : torch::nn::Module {
  explicit NetImpl(std::int64_t classes = 3, bool extraLayer = false)
      : conv(torch::nn::Conv2dOptions(3, 4, 3).padding(1)), bn(4), fc(100, classes) {
    register_module("conv", conv);
    register_module("bn", bn);
    register_module("fc", fc);
    if (extraLayer) extra = register_module("extra", torch::nn::Linear(2, 2));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    return fc(torch::relu(bn(conv(x))).flatten(/*start_dim=*/1));
  }
  torch::nn::Conv2d conv;
  torch::nn::BatchNorm2d bn;
  torch::nn::Linear fc;
  torch::nn::Linear extra{nullptr};
};
TORCH_MODULE(Net);

NameMap pythonNetNames() {
  return NameMap().prefix("features.0.", "conv.").prefix("features.1.", "bn.").prefix("head.", "fc.");
}

std::vector<torch::Tensor> snapshot(torch::nn::Module& m) {
  std::vector<torch::Tensor> out;
  for (const auto& p : m.named_parameters()) out.push_back(p.value().clone());
  for (const auto& b : m.named_buffers()) out.push_back(b.value().clone());
  return out;
}

bool unchanged(torch::nn::Module& m, const std::vector<torch::Tensor>& before) {
  const auto now = snapshot(m);
  if (now.size() != before.size()) return false;
  for (std::size_t i = 0; i < now.size(); ++i)
    if (!torch::equal(now[i], before[i])) return false;
  return true;
}

PickleValuePtr unpickleBytes(const std::string& bytes) {
  Unpickler u(bytes, "test pickle");
  return u.load();
}

}  // namespace

class TestTorchImport : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase();
  void readsEveryTensorExactly_data();
  void readsEveryTensorExactly();
  void keepsViewsAndTiedWeights();
  void readsZip64AndBigEndianArchives();
  void findsStateDictByKey();
  void stripsModulePrefix();
  void refusesFilesThatAreNotCheckpoints_data();
  void refusesFilesThatAreNotCheckpoints();
  void detectsDamagedData();
  void failsOnlyForTensorsItNeeds();
  void inspectsWithoutReadingData();
  void appliesThroughNameMap();
  void strictModeReportsAllProblemsAndChangesNothing();
  void nonStrictModeCopiesWhatFits();
  void convertsDtypesAndReportsThem();
  void transformsAndAllowedMissing();
  void nameMapRules();
  void unpicklerDecodesAndRejects();
  void crc32KnownValue();
  void cliInspectStateDict();

 private:
  std::string fixture(const QString& name) const { return (dir_.path() + "/" + name).toStdString(); }
  QJsonObject manifestEntry(const QString& name) const {
    return manifest_["fixtures"].toObject()[name].toObject();
  }
  QByteArray reference(const QString& name) const;
  void compareWithReference(const StateDict& sd, const QString& fixtureName);

  QTemporaryDir dir_;
  QJsonObject manifest_;
};

void TestTorchImport::initTestCase() {
  QVERIFY(dir_.isValid());
  // Debian's python3-torch (packaging/install-deps.sh installs it) writes the
  // fixtures; the test fails rather than skips without it.
  const QString python = QStringLiteral(EMITRACE_TORCH_PYTHON);
  const QString script = QStringLiteral(EMITRACE_TEST_DATA_DIR) + "/torch_import/make_fixtures.py";
  QProcess p;
  p.start(python, {script, dir_.path()});
  if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
    const QString why = p.error() == QProcess::FailedToStart
                            ? python + " cannot be started"
                            : QString::fromUtf8(p.readAllStandardError());
    QFAIL(qPrintable("making the torch fixtures failed (install python3-torch with "
                     "packaging/install-deps.sh, or set -DEMITRACE_TORCH_PYTHON): " + why));
  }
  QFile f(dir_.path() + "/manifest.json");
  QVERIFY(f.open(QIODevice::ReadOnly));
  manifest_ = QJsonDocument::fromJson(f.readAll()).object();
  QVERIFY(!manifest_["fixtures"].toObject().isEmpty());
  qInfo("fixtures written by torch %s", qPrintable(manifest_["torch_version"].toString()));
}

QByteArray TestTorchImport::reference(const QString& name) const {
  QFile f(dir_.path() + "/" + manifestEntry(name)["ref"].toString());
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void TestTorchImport::compareWithReference(const StateDict& sd, const QString& fixtureName) {
  const QJsonObject entry = manifestEntry(fixtureName);
  const QJsonArray expected = entry["tensors"].toArray();
  const QByteArray ref = reference(fixtureName);
  QCOMPARE(sd.entries.size(), static_cast<std::size_t>(expected.size()));
  for (int i = 0; i < expected.size(); ++i) {
    const QJsonObject e = expected[i].toObject();
    const StateDictEntry& got = sd.entries[static_cast<std::size_t>(i)];
    QCOMPARE(QString::fromStdString(got.name), e["name"].toString());  // file order kept
    QCOMPARE(QString::fromStdString(dtypeName(got.tensor)), e["dtype"].toString());
    QCOMPARE(got.tensor.sizes().vec(), jsonShape(e["shape"].toArray()));
    QVERIFY(got.tensor.device().is_cpu());
    const torch::Tensor c = got.tensor.contiguous();
    const auto nbytes = static_cast<qsizetype>(c.numel() * c.element_size());
    QCOMPARE(nbytes, static_cast<qsizetype>(e["nbytes"].toInteger()));
    QVERIFY2(nbytes == 0 || std::memcmp(c.data_ptr(), ref.constData() + e["offset"].toInteger(),
                                        static_cast<std::size_t>(nbytes)) == 0,
             qPrintable("values differ for " + e["name"].toString()));
  }
}

void TestTorchImport::readsEveryTensorExactly_data() {
  QTest::addColumn<QString>("name");
  for (const char* name : {"ordered_dict", "plain_dict", "nested_model", "model_state_dict",
                           "dataparallel", "protocol4", "parameters", "double_weights", "views",
                           "big", "quantized_extra", "torch2_layout"})
    QTest::newRow(name) << QString(name);
}

void TestTorchImport::readsEveryTensorExactly() {
  QFETCH(QString, name);
  const QJsonObject entry = manifestEntry(name);
  QVERIFY(!entry.isEmpty());
  // Found without being told where: top level, or a common key.
  const StateDict sd = readStateDict(fixture(entry["file"].toString()));
  QCOMPARE(QString::fromStdString(sd.location), entry["location"].toString());
  compareWithReference(sd, name);
  if (name == "ordered_dict") {
    // num_batches_tracked: an int64 scalar buffer, as BatchNorm saves it.
    const torch::Tensor* n = sd.find("features.1.num_batches_tracked");
    QVERIFY(n);
    QCOMPARE(n->dim(), 0);
    QCOMPARE(n->item<std::int64_t>(), std::int64_t{3});
  }
  if (name == "nested_model") {
    // Optimizer state, argparse.Namespace with numpy values, bytes, sets and
    // a 70-bit integer sit next to the weights without disturbing them.
    QVERIFY(sd.skipped.empty());
  }
}

void TestTorchImport::keepsViewsAndTiedWeights() {
  const StateDict sd = readStateDict(fixture("views.pt"));
  const torch::Tensor base = *sd.find("base");
  const torch::Tensor transposed = *sd.find("transposed");
  QVERIFY(!transposed.is_contiguous());
  QVERIFY(transposed.storage().is_alias_of(base.storage()));
  QVERIFY(torch::equal(transposed, base.t()));
  QVERIFY(torch::equal(*sd.find("strided_slice"), base.slice(0, 1, 4).slice(1, 2, 8, 2)));
  QVERIFY(torch::equal(*sd.find("flat_offset"), base.view({-1}).slice(0, 7, 19)));
  QCOMPARE(sd.find("expanded")->stride(0), std::int64_t{0});
  // Tied weights stay one tensor's memory.
  QCOMPARE(sd.find("tied_a")->data_ptr(), sd.find("tied_b")->data_ptr());
}

void TestTorchImport::readsZip64AndBigEndianArchives() {
  compareWithReference(readStateDict(fixture("zip64.pt")), "zip64");
  compareWithReference(readStateDict(fixture("big_endian.pt")), "big_endian");
  QCOMPARE(inspectCheckpoint(fixture("big_endian.pt")).byteOrder, std::string("big"));
}

void TestTorchImport::findsStateDictByKey() {
  ReadOptions options;
  options.key = "outer/inner";
  compareWithReference(readStateDict(fixture("nested_key.pt"), options), "nested_key");
  QVERIFY_ERROR(ModelFileError, readStateDict(fixture("nested_key.pt")), "'outer' (dict with 2 entries)");

  // Two candidates: the importer does not guess.
  QVERIFY_ERROR(ModelFileError, readStateDict(fixture("two_state_dicts.pt")),
                "several state dicts ('generator', 'discriminator')");
  options.key = "discriminator";
  const StateDict d = readStateDict(fixture("two_state_dicts.pt"), options);
  QCOMPARE(d.size(), std::size_t{1});
  QCOMPARE(d.location, std::string("discriminator"));

  options.key = "weights";
  QVERIFY_ERROR(ModelFileError, readStateDict(fixture("nested_model.pt"), options),
                "has no key 'weights' at its top level; the keys there are: 'model' (state dict of 9 tensors), 'epoch' (int)");
  options.key = "epoch";
  QVERIFY_ERROR(ModelFileError, readStateDict(fixture("nested_model.pt"), options),
                "under key 'epoch': found int there, not a dict of tensors");
  options.key = "/bad";
  QVERIFY_ERROR(InputError, readStateDict(fixture("nested_model.pt"), options), "malformed");

  const auto j = ReadOptions{"a/b", true, false}.toJson();
  const ReadOptions back = ReadOptions::fromJson(j);
  QCOMPARE(back.key, std::string("a/b"));
  QVERIFY(back.stripModulePrefix);
  QVERIFY(!back.verifyChecksums);
}

void TestTorchImport::stripsModulePrefix() {
  ReadOptions options;
  options.stripModulePrefix = true;
  const StateDict stripped = readStateDict(fixture("dataparallel.pt"), options);
  const StateDict original = readStateDict(fixture("ordered_dict.pt"));
  QCOMPARE(stripped.size(), original.size());
  for (std::size_t i = 0; i < original.size(); ++i) {
    QCOMPARE(stripped.entries[i].name, original.entries[i].name);
    QVERIFY(torch::equal(stripped.entries[i].tensor, original.entries[i].tensor));
  }
}

void TestTorchImport::refusesFilesThatAreNotCheckpoints_data() {
  QTest::addColumn<QString>("file");
  QTest::addColumn<QString>("fragment");
  QTest::newRow("legacy format") << "legacy.pt" << "legacy serialization format";
  QTest::newRow("torchscript") << "torchscript.pt" << "TorchScript archive (written by torch.jit.save)";
  QTest::newRow("text file") << "text.txt" << "is not a PyTorch checkpoint: torch.save writes zip archives, which start with 'PK', but this file starts with \"This is a text file";
  QTest::newRow("empty file") << "empty.pt" << "is empty (0 bytes)";
  QTest::newRow("plain pickle") << "plain.pkl" << "plain Python pickle";
  QTest::newRow("other zip") << "plain.zip" << "zip archive but not a torch.save checkpoint: it has no '<name>/data.pkl' record (its entries: readme.txt)";
  QTest::newRow("truncated") << "truncated.pt" << "truncated or not a zip archive";
  QTest::newRow("deflated") << "deflated.pt" << "is compressed (zip method 8)";
  QTest::newRow("pickled module") << "pickled_module.pt" << "pickled torch.nn.modules.linear.Linear object";
  QTest::newRow("no weights") << "no_state_dict.pt" << "top-level keys are: 'epoch' (int), 'note' (str)";
  QTest::newRow("missing file") << "does_not_exist.pt" << "cannot open";
}

void TestTorchImport::refusesFilesThatAreNotCheckpoints() {
  QFETCH(QString, file);
  QFETCH(QString, fragment);
  const std::string path = fixture(file);
  const std::string message = expectError<Error>([&] { readStateDict(path); });
  QVERIFY2(contains(message, fragment.toStdString()), message.c_str());
  QVERIFY2(contains(message, path), ("the message must name the file: " + message).c_str());
  if (file == "does_not_exist.pt") QVERIFY_ERROR(IoError, readStateDict(path), "cannot open");
  else QVERIFY_ERROR(ModelFileError, readStateDict(path), fragment.toStdString());
  // inspect refuses them the same way.
  QVERIFY_ERROR(Error, inspectCheckpoint(path), fragment.toStdString());
}

void TestTorchImport::detectsDamagedData() {
  const std::string path = fixture("corrupt.pt");
  QVERIFY_ERROR(ModelFileError, readStateDict(path), "the checksum of entry 'ordered_dict/data/0' does not match");
  // inspect reads no data unless asked to verify every record.
  QCOMPARE(inspectCheckpoint(path).tensors.size(), std::size_t{9});
  QVERIFY_ERROR(ModelFileError, inspectCheckpoint(path, {}, /*verify=*/true), "checksum of entry 'ordered_dict/data/0'");
  const CheckpointSummary verified = inspectCheckpoint(fixture("nested_model.pt"), {}, /*verify=*/true);
  QVERIFY(verified.verifiedBytes > verified.storageBytes);  // optimizer state and data.pkl too
  // Without the checksum the flipped bit goes unnoticed: exactly one weight differs.
  ReadOptions options;
  options.verifyChecksums = false;
  const StateDict damaged = readStateDict(path, options);
  const StateDict good = readStateDict(fixture("ordered_dict.pt"));
  const torch::Tensor diff = damaged.entries[0].tensor != good.entries[0].tensor;
  QCOMPARE(diff.sum().item<std::int64_t>(), std::int64_t{1});
}

void TestTorchImport::failsOnlyForTensorsItNeeds() {
  // A quantized tensor outside the state dict is read past (see
  // readsEveryTensorExactly "quantized_extra"); inside it, it fails by name.
  QVERIFY_ERROR(ModelFileError, readStateDict(fixture("quantized_in_state_dict.pt")),
                "'q': it was saved by torch._utils._rebuild_qtensor");
}

void TestTorchImport::inspectsWithoutReadingData() {
  const CheckpointSummary s = inspectCheckpoint(fixture("nested_model.pt"));
  QCOMPARE(s.location, std::string("model"));
  QCOMPARE(s.archiveName, std::string("nested_model"));
  QVERIFY(s.formatVersion >= 1);
  QCOMPARE(s.tensors.size(), std::size_t{9});
  QVERIFY2(contains(s.topLevel, "'epoch' (int)"), s.topLevel.c_str());
  QVERIFY2(contains(s.topLevel, "'args' (argparse.Namespace)"), s.topLevel.c_str());
  QVERIFY2(contains(s.topLevel, "'blob' (bytes)"), s.topLevel.c_str());
  QCOMPARE(s.tensors[0].name, std::string("features.0.weight"));
  QCOMPARE(s.tensors[0].shape, (std::vector<std::int64_t>{4, 3, 3, 3}));
  QCOMPARE(s.tensors[0].dtype, std::string("float32"));
  QCOMPARE(s.totalElements, std::int64_t{108 + 4 + 4 * 4 + 1 + 300 + 3});
  const std::string text = formatCheckpointSummary(s);
  QVERIFY2(contains(text, "features.1.num_batches_tracked") && contains(text, "int64"), text.c_str());
  QCOMPARE(toJson(s)["tensors"][0]["shape"], nlohmann::json({4, 3, 3, 3}));

  const CheckpointSummary views = inspectCheckpoint(fixture("views.pt"));
  QVERIFY(!views.tensors[1].contiguous);                               // transposed
  QCOMPARE(views.tensors[6].storageKey, views.tensors[7].storageKey);  // tied
  QCOMPARE(views.storageBytes, std::uint64_t{(60 + 9 + 3) * 4});

  // Unimportable tensors are listed, not fatal.
  const CheckpointSummary q = inspectCheckpoint(fixture("quantized_in_state_dict.pt"));
  QVERIFY(q.tensors[0].problem.empty());
  QVERIFY(contains(q.tensors[1].problem, "_rebuild_qtensor"));
}

void TestTorchImport::appliesThroughNameMap() {
  const StateDict sd = readStateDict(fixture("nested_model.pt"));
  Net net;
  const ApplyReport report = applyStateDict(*net, sd, pythonNetNames());
  QVERIFY2(report.ok(), report.problemsText().c_str());
  QCOMPARE(report.loaded.size(), std::size_t{9});
  QVERIFY(report.conversions.empty());
  QCOMPARE(net->bn->num_batches_tracked.item<std::int64_t>(), std::int64_t{3});

  // The LibTorch module now computes what the PyTorch one computed.
  const QByteArray io = reference("apply_io");
  const torch::Tensor input = torch::from_blob(const_cast<char*>(io.constData()), {2, 3, 5, 5}).clone();
  const torch::Tensor expected = torch::from_blob(const_cast<char*>(io.constData()) + input.numel() * 4, {2, 3}).clone();
  net->eval();
  torch::NoGradGuard noGrad;
  const torch::Tensor got = net->forward(input);
  QVERIFY2(torch::allclose(got, expected, /*rtol=*/1e-5, /*atol=*/1e-6),
           qPrintable(QString("max difference %1").arg((got - expected).abs().max().item<double>())));
}

void TestTorchImport::strictModeReportsAllProblemsAndChangesNothing() {
  const StateDict sd = readStateDict(fixture("ordered_dict.pt"));
  // Five classes instead of three, an extra layer, and no rule for the BN.
  Net net(/*classes=*/5, /*extraLayer=*/true);
  const auto before = snapshot(*net);
  const NameMap map = NameMap().prefix("features.0.", "conv.").prefix("head.", "fc.");
  const std::string message = expectError<ModelFileError>([&] { applyStateDict(*net, sd, map); });
  QVERIFY2(unchanged(*net, before), "a failed strict import must leave the module as it was");
  for (const std::string& fragment :
       {fixture("ordered_dict.pt"), std::string("14 problem(s)"),
        std::string("shape mismatch: 'fc.weight' (checkpoint name 'head.weight'): the model expects [5, 100], the checkpoint has [3, 100]"),
        std::string("shape mismatch: 'fc.bias' (checkpoint name 'head.bias'): the model expects [5], the checkpoint has [3]"),
        std::string("missing from the checkpoint: 'bn.running_var' [4] float32"),
        std::string("missing from the checkpoint: 'bn.num_batches_tracked' [] int64"),
        std::string("missing from the checkpoint: 'extra.weight' [2, 2] float32"),
        std::string("unexpected in the checkpoint: 'features.1.weight' [4] float32"),
        std::string("inspect-state-dict")})
    QVERIFY2(contains(message, fragment), ("missing '" + fragment + "' in: " + message).c_str());
}

void TestTorchImport::nonStrictModeCopiesWhatFits() {
  const StateDict sd = readStateDict(fixture("ordered_dict.pt"));
  Net net(/*classes=*/5);
  const torch::Tensor fcBefore = net->fc->weight.clone();
  ApplyOptions options;
  options.strict = false;
  const ApplyReport r = applyStateDict(*net, sd, pythonNetNames(), options);
  QCOMPARE(r.problemCount(), std::size_t{2});
  QCOMPARE(r.shapeMismatches.size(), std::size_t{2});
  QCOMPARE(r.shapeMismatches[0].expected, (std::vector<std::int64_t>{5, 100}));
  QCOMPARE(r.shapeMismatches[0].got, (std::vector<std::int64_t>{3, 100}));
  QCOMPARE(r.loaded.size(), std::size_t{7});
  QVERIFY(torch::equal(net->conv->weight, *sd.find("features.0.weight")));
  QVERIFY(torch::equal(net->fc->weight, fcBefore));
  QCOMPARE(r.toJson()["shape_mismatches"][0]["name"], nlohmann::json("fc.weight"));

  // Several checkpoint tensors onto one module tensor is a problem too.
  Net other;
  const NameMap clash = pythonNetNames().regex(R"(features\.1\.running_(mean|var))", "bn.running_mean");
  const NameMap clashFirst = NameMap().regex(R"(features\.1\.running_(mean|var))", "bn.running_mean")
                                 .prefix("features.0.", "conv.").prefix("features.1.", "bn.").prefix("head.", "fc.");
  const ApplyReport c = applyStateDict(*other, sd, clashFirst, options);
  QCOMPARE(c.duplicateTargets, std::vector<std::string>{"bn.running_mean"});
  QCOMPARE(c.missing.size(), std::size_t{1});  // bn.running_var
  QVERIFY(applyStateDict(*other, sd, clash, options).ok());  // prefix rules win: first match decides
}

void TestTorchImport::convertsDtypesAndReportsThem() {
  const StateDict sd = readStateDict(fixture("double_weights.pt"));
  Net net;
  const ApplyReport r = applyStateDict(*net, sd, pythonNetNames());
  QVERIFY(r.ok());
  QCOMPARE(r.conversions.size(), std::size_t{9 - 1});  // all but num_batches_tracked
  QCOMPARE(r.conversions[0].from, std::string("float64"));
  QCOMPARE(r.conversions[0].to, std::string("float32"));
  QCOMPARE(net->conv->weight.scalar_type(), torch::kFloat);
  QVERIFY(torch::equal(net->conv->weight, sd.find("features.0.weight")->to(torch::kFloat)));

  ApplyOptions exact;
  exact.allowDtypeConversion = false;
  QVERIFY_ERROR(ModelFileError, applyStateDict(*net, sd, pythonNetNames(), exact),
                "dtype mismatch: 'conv.weight' (checkpoint name 'features.0.weight'): the model holds float32, the checkpoint float64");

  // Integers into a float parameter change meaning: refused even when casts are allowed.
  struct Holder : torch::nn::Module {
    Holder() { register_parameter("i64", torch::zeros({6})); }
  };
  Holder h;
  ApplyOptions lenient;
  lenient.strict = false;
  const ApplyReport cross = applyStateDict(h, readStateDict(fixture("plain_dict.pt")),
                                           NameMap().ignore("(?!i64$).*"), lenient);
  QCOMPARE(cross.dtypeMismatches.size(), std::size_t{1});
  QCOMPARE(cross.ignored.size(), std::size_t{12});
  QVERIFY(torch::equal(h.named_parameters()["i64"], torch::zeros({6})));
}

void TestTorchImport::transformsAndAllowedMissing() {
  // FLAME-style complex spectral weights stored as real [..., 2].
  struct Spectral : torch::nn::Module {
    Spectral() {
      weights1 = register_parameter("weights1", torch::zeros({2, 2, 3, 3}, torch::kComplexFloat));
      bias = register_parameter("bias", torch::full({2}, 7.0));
    }
    torch::Tensor weights1, bias;
  };
  struct Holder : torch::nn::Module {
    Holder() { spectral = register_module("spectral", std::make_shared<Spectral>()); }
    std::shared_ptr<Spectral> spectral;
  };
  Holder h;
  const StateDict sd = readStateDict(fixture("complex_as_real.pt"));
  QCOMPARE(sd.find("spectral.weights1")->sizes().vec(), (std::vector<std::int64_t>{2, 2, 3, 3, 2}));
  ApplyOptions options;
  options.allowMissing = {R"(spectral\.bias)"};
  options.transforms = {{R"(.*\.weights1)", [](const at::Tensor& t) { return torch::view_as_complex(t.contiguous()); },
                         "real [..., 2] -> complex"}};
  const ApplyReport r = applyStateDict(h, sd, {}, options);
  QVERIFY2(r.ok(), r.problemsText().c_str());
  QCOMPARE(r.keptAsInitialised, std::vector<std::string>{"spectral.bias"});
  QCOMPARE(r.transformed.size(), std::size_t{1});
  QVERIFY(torch::equal(h.spectral->bias, torch::full({2}, 7.0)));
  const QByteArray ref = reference("complex_as_real");
  QCOMPARE(static_cast<qsizetype>(h.spectral->weights1.numel() * 8), ref.size());
  QVERIFY(std::memcmp(h.spectral->weights1.contiguous().data_ptr(), ref.constData(), static_cast<std::size_t>(ref.size())) == 0);

  // Without the transform the shapes differ, and the report says how.
  QVERIFY_ERROR(ModelFileError, applyStateDict(h, sd, {}, ApplyOptions{true, true, {"spectral\\.bias"}, {}}),
                "'spectral.weights1': the model expects [2, 2, 3, 3], the checkpoint has [2, 2, 3, 3, 2]");
  // A transform that throws is reported by name.
  ApplyOptions failing = options;
  failing.transforms[0].apply = [](const at::Tensor& t) { return t.view({-1, 5}); };
  QVERIFY_ERROR(ModelFileError, applyStateDict(h, sd, {}, failing), "transform failed: 'spectral.weights1'");
}

void TestTorchImport::nameMapRules() {
  const NameMap map = NameMap()
                          .ignore(R"(fc\..*)")
                          .regex(R"(seg_head\.(\d)\.(.*))", "seg.block$1.$2")
                          .prefix("backbone.", "encoder.")
                          .prefix("", "rgb.");
  QCOMPARE(map.map("fc.weight"), std::optional<std::string>());
  QCOMPARE(*map.map("seg_head.6.bias"), std::string("seg.block6.bias"));
  QCOMPARE(*map.map("backbone.conv1.weight"), std::string("encoder.conv1.weight"));
  QCOMPARE(*map.map("layer1.0.bn1.weight"), std::string("rgb.layer1.0.bn1.weight"));
  QCOMPARE(*NameMap().map("unchanged.name"), std::string("unchanged.name"));

  const NameMap back = NameMap::fromJson(map.toJson());
  for (const char* name : {"fc.weight", "seg_head.6.bias", "backbone.x", "conv1.weight"})
    QCOMPARE(back.map(name), map.map(name));
  QVERIFY_ERROR(InputError, NameMap().regex("([unclosed", "x"), "not a valid regular expression");
  QVERIFY_ERROR(InputError, NameMap::fromJson(nlohmann::json::parse(R"([{"rename": ["a", "b"]}])")), "is not one of");
  QVERIFY_ERROR(InputError, NameMap::fromJson(nlohmann::json::parse(R"({"prefix": ["a", "b"]})")), "JSON array");
}

void TestTorchImport::unpicklerDecodesAndRejects() {
  using Kind = PickleValue::Kind;
  using namespace std::string_literals;
  QCOMPARE(unpickleBytes("\x80\x02K\x05."s)->integer, std::int64_t{5});
  QCOMPARE(unpickleBytes("\x80\x02J\xfe\xff\xff\xff."s)->integer, std::int64_t{-2});
  QCOMPARE(unpickleBytes("\x80\x02\x8a\x01\xff."s)->integer, std::int64_t{-1});
  QCOMPARE(unpickleBytes("\x80\x02\x8a\x02\x00\x80."s)->integer, std::int64_t{-32768});
  QCOMPARE(unpickleBytes("\x80\x02\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01."s)->kind, Kind::BigInt);
  QCOMPARE(unpickleBytes("\x80\x02G?\xf8\x00\x00\x00\x00\x00\x00."s)->real, 1.5);
  const auto list = unpickleBytes("\x80\x02]q\x00(K\x01K\x02h\x00""e."s);
  QCOMPARE(list->items.size(), std::size_t{3});
  QCOMPARE(list->items[2].get(), list.get());  // memo: the list contains itself
  list->items.clear();                          // break the cycle
  const auto bytes = unpickleBytes("\x80\x02""c_codecs\nencode\nX\x04\x00\x00\x00\xc3\xbf\x00""aX\x06\x00\x00\x00latin1\x86R."s);
  QCOMPARE(bytes->kind, Kind::Bytes);
  QCOMPARE(bytes->text, "\xff\x00""a"s);
  const auto ns = unpickleBytes("\x80\x02""cargparse\nNamespace\n)\x81}X\x01\x00\x00\x00""aK\x01sb."s);
  QCOMPARE(ns->kind, Kind::Object);
  QCOMPARE(ns->text, std::string("argparse.Namespace"));
  QVERIFY(ns->state && ns->state->find("a"));
  const auto od = unpickleBytes("\x80\x02""ccollections\nOrderedDict\n)R(X\x01\x00\x00\x00kK\x07u}X\x09\x00\x00\x00_metadataK\x00sb."s);
  QCOMPARE(od->kind, Kind::Dict);
  QCOMPARE(od->entries.size(), std::size_t{1});  // _metadata is an attribute, not an item
  QCOMPARE((*od->find("k"))->integer, std::int64_t{7});

  QVERIFY_ERROR(ModelFileError, unpickleBytes("\x80\x02X\x10\x00\x00\x00""abc"s), "runs past the end");
  QVERIFY_ERROR(ModelFileError, unpickleBytes("\x80\x02I5\n."s), "opcode 'I' (0x49)");
  QVERIFY_ERROR(ModelFileError, unpickleBytes("\x80\x02h\x03."s), "memo entry 3");
  QVERIFY_ERROR(ModelFileError, unpickleBytes("\x80\x02s."s), "stack underflow");
  QVERIFY_ERROR(ModelFileError, unpickleBytes("\x80\x02K\x01"s), "truncated");
  QVERIFY_ERROR(ModelFileError, unpickleBytes("\x80\x05K\x01."s), "protocol 5");
  QVERIFY_ERROR(ModelFileError, unpickleBytes("\x80\x02(K\x01Q."s), "persistent id");
  QVERIFY_ERROR(ModelFileError, unpickleBytes("\x80\x02K\x01K\x02R."s), "not a tuple");
}

void TestTorchImport::crc32KnownValue() {
  const std::string check = "123456789";
  QCOMPARE(crc32Update(0, check.data(), check.size()), 0xCBF43926u);
  // Piecewise equals whole (the reader checks records in chunks).
  QCOMPARE(crc32Update(crc32Update(0, check.data(), 4), check.data() + 4, 5), 0xCBF43926u);
}

void TestTorchImport::cliInspectStateDict() {
  const QString exe = qEnvironmentVariable("EMITRACE_CLI");
  QVERIFY2(!exe.isEmpty(), "EMITRACE_CLI not set");
  QProcess p;
  p.start(exe, {"models", "inspect-state-dict", QString::fromStdString(fixture("nested_model.pt"))});
  QVERIFY(p.waitForFinished(60000));
  QCOMPARE(p.exitCode(), 0);
  const QString out = QString::fromUtf8(p.readAllStandardOutput());
  QVERIFY2(out.contains("key 'model'") && out.contains("features.0.weight") && out.contains("[4, 3, 3, 3]"),
           qPrintable(out));

  p.start(exe, {"models", "inspect-state-dict", "--json", QString::fromStdString(fixture("views.pt"))});
  QVERIFY(p.waitForFinished(60000));
  QCOMPARE(p.exitCode(), 0);
  const QJsonObject j = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
  QCOMPARE(j["tensor_count"].toInt(), 9);

  p.start(exe, {"models", "inspect-state-dict", QString::fromStdString(fixture("torchscript.pt"))});
  QVERIFY(p.waitForFinished(60000));
  QCOMPARE(p.exitCode(), 1);
  const QString err = QString::fromUtf8(p.readAllStandardError());
  QVERIFY2(err.contains("TorchScript") && err.trimmed().count('\n') == 0, qPrintable(err));

  p.start(exe, {"models", "inspect-state-dict", "--verify", QString::fromStdString(fixture("corrupt.pt"))});
  QVERIFY(p.waitForFinished(60000));
  QCOMPARE(p.exitCode(), 1);
  QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains("checksum of entry"));
}

QTEST_GUILESS_MAIN(TestTorchImport)
#include "test_torch_import.moc"
