// core/models infrastructure: model files (save/load/metadata checks), the
// kind registry, `models new|info|run` operations and .npy I/O. Uses a tiny
// kind registered by this test; the real model families have their own suites.
#include <QTemporaryDir>
#include <QtTest>

#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "core/models/model_commands.h"
#include "core/models/model_file.h"
#include "core/models/model_registry.h"
#include "core/models/npy.h"
#include "core/progress.h"

using namespace emitrace;
using namespace emitrace::models;

namespace {

struct TinyMlpImpl : torch::nn::Module {
  TinyMlpImpl(int in, int hidden) : fc1(register_module("fc1", torch::nn::Linear(in, hidden))),
                                    bn(register_module("bn", torch::nn::BatchNorm1d(hidden))),
                                    fc2(register_module("fc2", torch::nn::Linear(hidden, 2))) {}
  torch::Tensor forward(const torch::Tensor& x) { return fc2(torch::relu(bn(fc1(x)))); }
  torch::nn::Linear fc1;
  torch::nn::BatchNorm1d bn;
  torch::nn::Linear fc2;
};
TORCH_MODULE(TinyMlp);

class TinyMlpKind : public ModelKind {
 public:
  std::string kind() const override { return "test-mlp"; }
  std::string description() const override { return "two-layer perceptron for tests"; }
  std::vector<std::string> variants() const override { return {"small", "wide"}; }
  ModelMetadata newMetadata(const std::string& variant, const Settings& settings) const override {
    ModelMetadata m;
    m.kind = kind();
    m.variant = variant;
    if (variant != "small" && variant != "wide") throw InputError("unknown variant '" + variant + "'");
    m.hyperParameters = {{"in", 4}, {"hidden", variant == "wide" ? 32 : 8}};
    for (const auto& [k, v] : settings) {
      if (!m.hyperParameters.contains(k)) throw InputError("unknown setting '" + k + "'");
      m.hyperParameters[k] = std::stoi(v);
    }
    m.inputs = nlohmann::json::array({{{"name", "x"}, {"shape", {"N", m.hyperParameters["in"]}}}});
    m.outputs = nlohmann::json::array({{{"name", "logits"}, {"shape", {"N", 2}}}});
    m.classNames = {"a", "b"};
    return m;
  }
  std::shared_ptr<torch::nn::Module> build(const ModelMetadata& m) const override {
    return TinyMlp(m.hyperParameters["in"].get<int>(), m.hyperParameters["hidden"].get<int>()).ptr();
  }
  TensorMap forward(torch::nn::Module& module, const ModelMetadata&, const TensorMap& inputs) const override {
    auto it = inputs.find("x");
    if (it == inputs.end()) throw InputError("missing input 'x'");
    return {{"logits", static_cast<TinyMlpImpl&>(module).forward(it->second.to(torch::kFloat32))}};
  }
};

template <typename E, typename F>
std::string messageOf(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("WRONG TYPE: ") + e.what();
  }
  return "NO EXCEPTION";
}

#define QVERIFY_ERROR(Type, expr, fragment)                                                 \
  do {                                                                                      \
    const std::string _m = messageOf<Type>([&] { (void)(expr); });                          \
    QVERIFY2(_m.find(fragment) != std::string::npos && _m.rfind("WRONG", 0) != 0, _m.c_str()); \
  } while (0)

void writeBytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string npyHeader(const std::string& dict) {
  std::string header = dict;
  const size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header;
}

}  // namespace

class TestModelFiles : public QObject {
  Q_OBJECT
 private Q_SLOTS:
  void initTestCase() { registerModelKind(std::make_unique<TinyMlpKind>()); }
  void registryListsAndRejects();
  void newInfoRoundTrip();
  void weightsSurviveSaveLoad();
  void wrongKindIsRejected();
  void foreignFilesAreRejected();
  void mismatchedTensorsAreNamed();
  void newerFormatIsRejected();
  void runWritesOutputs();
  void npyRoundTrip_data();
  void npyRoundTrip();
  void npyReadsUint16AsInt32();
  void npyErrors();
};

void TestModelFiles::registryListsAndRejects() {
  const auto kinds = registeredModelKinds();
  QVERIFY(std::find(kinds.begin(), kinds.end(), "test-mlp") != kinds.end());
  QVERIFY_ERROR(InputError, findModelKind("no-such-model"), "known: ");
  QTemporaryDir dir;
  NewModelOptions o;
  o.kind = "test-mlp";
  o.variant = "huge";
  o.output = dir.filePath("m.pt").toStdString();
  QVERIFY_ERROR(InputError, createModelFile(o), "unknown variant");
  o.variant = "";
  o.settings = {{"depth", "3"}};
  QVERIFY_ERROR(InputError, createModelFile(o), "unknown setting 'depth'");
  QVERIFY(!QFile::exists(dir.filePath("m.pt")));
}

void TestModelFiles::newInfoRoundTrip() {
  QTemporaryDir dir;
  NewModelOptions o;
  o.kind = "test-mlp";
  o.variant = "wide";
  o.settings = {{"in", "6"}};
  o.output = dir.filePath("m.pt").toStdString();
  const auto created = createModelFile(o);
  const auto d = describeModelFile(o.output);
  QCOMPARE(d["kind"].get<std::string>(), std::string("test-mlp"));
  QCOMPARE(d["variant"].get<std::string>(), std::string("wide"));
  QCOMPARE(d["hyper_parameters"]["in"].get<int>(), 6);
  // 6*32+32 + 2*32 (bn affine) + 32*2+2
  QCOMPARE(d["parameter_count"].get<std::int64_t>(), std::int64_t(6 * 32 + 32 + 64 + 64 + 2));
  QCOMPARE(d["provenance"]["trained"].get<bool>(), false);
  QCOMPARE(d["sha256"].get<std::string>().size(), size_t(64));
  QCOMPARE(created["parameter_count"], d["parameter_count"]);
  const std::string text = formatModelDescription(d);
  QVERIFY(text.find("test-mlp") != std::string::npos);
  QVERIFY(text.find("logits") != std::string::npos);
}

void TestModelFiles::weightsSurviveSaveLoad() {
  QTemporaryDir dir;
  const TinyMlpKind kind;
  ModelMetadata meta = kind.newMetadata("small", {});
  torch::manual_seed(3);
  auto module = std::dynamic_pointer_cast<TinyMlpImpl>(kind.build(meta));
  // Train a few steps so BatchNorm running statistics differ from defaults.
  torch::optim::SGD opt(module->parameters(), 0.1);
  for (int i = 0; i < 5; ++i) {
    auto x = torch::randn({16, 4});
    auto loss = module->forward(x).pow(2).mean();
    opt.zero_grad();
    loss.backward();
    opt.step();
  }
  const std::string path = dir.filePath("trained.pt").toStdString();
  saveModelFile(path, meta, *module);
  LoadedModel loaded = loadModel(path, "test-mlp");
  module->eval();
  auto x = torch::randn({5, 4});
  torch::NoGradGuard g;
  auto expected = module->forward(x);
  auto got = static_cast<TinyMlpImpl&>(*loaded.module).forward(x);
  QVERIFY(torch::equal(expected, got));
  QVERIFY(!loaded.module->is_training());
}

void TestModelFiles::wrongKindIsRejected() {
  QTemporaryDir dir;
  NewModelOptions o;
  o.kind = "test-mlp";
  o.output = dir.filePath("m.pt").toStdString();
  createModelFile(o);
  QVERIFY_ERROR(ModelFileError, loadModel(o.output, "flame"), "is a test-mlp model file, but a flame model");
}

void TestModelFiles::foreignFilesAreRejected() {
  QTemporaryDir dir;
  const std::string text = dir.filePath("notes.pt").toStdString();
  writeBytes(text, "not a model");
  QVERIFY_ERROR(ModelFileError, readModelMetadata(text), "not an Emitrace model file");
  QVERIFY_ERROR(IoError, readModelMetadata(dir.filePath("missing.pt").toStdString()), "not found");
  // A LibTorch archive without our metadata.
  torch::serialize::OutputArchive archive;
  archive.write("weight", torch::ones({2}));
  const std::string plain = dir.filePath("plain.pt").toStdString();
  archive.save_to(plain);
  QVERIFY_ERROR(ModelFileError, readModelMetadata(plain), "without Emitrace metadata");
  // Truncated model file.
  NewModelOptions o;
  o.kind = "test-mlp";
  o.output = dir.filePath("m.pt").toStdString();
  createModelFile(o);
  std::filesystem::resize_file(o.output, std::filesystem::file_size(o.output) / 2);
  QVERIFY_ERROR(ModelFileError, loadModel(o.output), "m.pt");
}

void TestModelFiles::mismatchedTensorsAreNamed() {
  QTemporaryDir dir;
  const TinyMlpKind kind;
  // Weights of the "small" model stored under metadata that claims "wide".
  ModelMetadata wide = kind.newMetadata("wide", {});
  auto small = kind.build(kind.newMetadata("small", {}));
  const std::string path = dir.filePath("mismatch.pt").toStdString();
  saveModelFile(path, wide, *small);
  const std::string msg = messageOf<ModelFileError>([&] { loadModel(path); });
  QVERIFY2(msg.find("tensor 'fc1.weight' has shape [8, 4], the model expects [32, 4]") != std::string::npos, msg.c_str());
  QVERIFY2(msg.find("'bn.running_mean'") != std::string::npos, msg.c_str());
  // A tensor too many and one missing.
  struct Extra : torch::nn::Module {
    Extra() { register_module("fc9", torch::nn::Linear(1, 1)); }
  };
  Extra extra;
  const std::string path2 = dir.filePath("extra.pt").toStdString();
  saveModelFile(path2, kind.newMetadata("small", {}), extra);
  const std::string msg2 = messageOf<ModelFileError>([&] { loadModel(path2); });
  QVERIFY2(msg2.find("unexpected tensor 'fc9.weight'") != std::string::npos, msg2.c_str());
  QVERIFY2(msg2.find("missing tensor 'fc1.weight' [8, 4]") != std::string::npos, msg2.c_str());
}

void TestModelFiles::newerFormatIsRejected() {
  QTemporaryDir dir;
  const TinyMlpKind kind;
  ModelMetadata m = kind.newMetadata("small", {});
  auto module = kind.build(m);
  // Write a file by hand with a future format version.
  torch::serialize::OutputArchive archive;
  for (const auto& p : module->named_parameters()) archive.write(p.key(), p.value());
  nlohmann::json j = m.toJson();
  j["format_version"] = kModelFileFormat + 1;
  archive.write("emitrace_metadata", c10::IValue(j.dump()));
  const std::string path = dir.filePath("future.pt").toStdString();
  archive.save_to(path);
  QVERIFY_ERROR(ModelFileError, readModelMetadata(path), "newer than this Emitrace");
}

void TestModelFiles::runWritesOutputs() {
  QTemporaryDir dir;
  NewModelOptions o;
  o.kind = "test-mlp";
  o.output = dir.filePath("m.pt").toStdString();
  createModelFile(o);
  auto x = torch::randn({3, 4}, torch::kFloat64);
  writeNpy(dir.filePath("x.npy").toStdString(), x);
  RunModelOptions r;
  r.model = o.output;
  r.inputs = {{"x", dir.filePath("x.npy").toStdString()}};
  r.outDir = dir.filePath("out").toStdString();
  Progress progress;
  const auto written = runModelOnArrays(r, progress);
  QCOMPARE(written.size(), size_t(1));
  const auto logits = readNpy(written[0]);
  QCOMPARE(logits.sizes(), (torch::IntArrayRef{3, 2}));
  LoadedModel loaded = loadModel(o.output);
  torch::NoGradGuard g;
  auto expected = static_cast<TinyMlpImpl&>(*loaded.module).forward(x.to(torch::kFloat32));
  QVERIFY(torch::allclose(logits, expected));
  r.inputs = {{"y", dir.filePath("x.npy").toStdString()}};
  QVERIFY_ERROR(InputError, runModelOnArrays(r, progress), "missing input 'x'");
  r.inputs = {{"x", dir.filePath("x.npy").toStdString()}};
  r.device = "tpu";
  QVERIFY_ERROR(InputError, runModelOnArrays(r, progress), "unknown device");
}

void TestModelFiles::npyRoundTrip_data() {
  QTest::addColumn<int>("dtype");
  QTest::addColumn<QList<int>>("shape");
  QTest::newRow("float32 3d") << int(torch::kFloat32) << QList<int>{2, 3, 4};
  QTest::newRow("float64 1d") << int(torch::kFloat64) << QList<int>{7};
  QTest::newRow("int64 2d") << int(torch::kInt64) << QList<int>{3, 1};
  QTest::newRow("uint8 4d") << int(torch::kUInt8) << QList<int>{1, 2, 2, 3};
  QTest::newRow("bool") << int(torch::kBool) << QList<int>{5};
  QTest::newRow("scalar") << int(torch::kFloat32) << QList<int>{};
  QTest::newRow("empty") << int(torch::kFloat32) << QList<int>{0, 3};
}

void TestModelFiles::npyRoundTrip() {
  QFETCH(int, dtype);
  QFETCH(QList<int>, shape);
  std::vector<int64_t> dims(shape.begin(), shape.end());
  auto t = (torch::rand(dims) * 100).to(static_cast<torch::Dtype>(dtype));
  QTemporaryDir dir;
  const std::string path = dir.filePath("t.npy").toStdString();
  writeNpy(path, t);
  auto back = readNpy(path);
  QCOMPARE(back.scalar_type(), t.scalar_type());
  QCOMPARE(back.sizes(), t.sizes());
  QVERIFY(torch::equal(back, t));
  // A non-contiguous view is written in logical order.
  if (t.dim() == 3) {
    auto view = t.permute({2, 0, 1});
    writeNpy(path, view);
    QVERIFY(torch::equal(readNpy(path), view));
  }
}

void TestModelFiles::npyReadsUint16AsInt32() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("u16.npy").toStdString();
  std::string data = npyHeader("{'descr': '<u2', 'fortran_order': False, 'shape': (2, 2), }");
  const uint16_t values[4] = {0, 1, 40000, 65535};
  data.append(reinterpret_cast<const char*>(values), sizeof values);
  writeBytes(path, data);
  auto t = readNpy(path);
  QCOMPARE(t.scalar_type(), torch::kInt32);
  QCOMPARE(t[1][0].item<int>(), 40000);
  QCOMPARE(t[1][1].item<int>(), 65535);
}

void TestModelFiles::npyErrors() {
  QTemporaryDir dir;
  const std::string p = dir.filePath("bad.npy").toStdString();
  writeBytes(p, "PK\x03\x04 zip, not npy");
  QVERIFY_ERROR(InputError, readNpy(p), "not a NumPy .npy file");
  writeBytes(p, npyHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }") + std::string(16, '\0'));
  QVERIFY_ERROR(InputError, readNpy(p), "Fortran order");
  writeBytes(p, npyHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }") + std::string(8, '\0'));
  QVERIFY_ERROR(InputError, readNpy(p), "big-endian");
  writeBytes(p, npyHeader("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }") + std::string(16, '\0'));
  QVERIFY_ERROR(InputError, readNpy(p), "dtype");
  writeBytes(p, npyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100,), }") + std::string(80, '\0'));
  QVERIFY_ERROR(InputError, readNpy(p), "truncated");
  QVERIFY_ERROR(IoError, readNpy(dir.filePath("none.npy").toStdString()), "cannot read");
}

QTEST_GUILESS_MAIN(TestModelFiles)
#include "test_model_files.moc"
