#include "core/models/npy.h"

#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <regex>

#include "core/error.h"
#include "core/partial_output.h"

namespace emitrace::models {
namespace {

struct DtypeInfo {
  const char* descr;
  torch::Dtype dtype;
  size_t itemSize;
};

// Accepted descr strings ('|' or '<' byte order) and what they load as.
const DtypeInfo kDtypes[] = {
    {"b1", torch::kBool, 1},   {"u1", torch::kUInt8, 1},  {"i1", torch::kInt8, 1},
    {"i2", torch::kInt16, 2},  {"u2", torch::kInt32, 2},  {"i4", torch::kInt32, 4},
    {"i8", torch::kInt64, 8},  {"f4", torch::kFloat32, 4}, {"f8", torch::kFloat64, 8},
};

std::string headerValue(const std::string& header, const std::string& key) {
  const std::regex re("'" + key + "'\\s*:\\s*('[^']*'|True|False|\\([^)]*\\))");
  std::smatch m;
  if (!std::regex_search(header, m, re)) return {};
  return m[1].str();
}

}  // namespace

at::Tensor readNpy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot read '" + path + "'");
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) {
    throw InputError("'" + path + "' is not a NumPy .npy file");
  }
  const int major = static_cast<unsigned char>(magic[6]);
  size_t headerLength = 0;
  if (major == 1) {
    unsigned char len[2];
    in.read(reinterpret_cast<char*>(len), 2);
    headerLength = len[0] | (len[1] << 8);
  } else if (major == 2 || major == 3) {
    unsigned char len[4];
    in.read(reinterpret_cast<char*>(len), 4);
    headerLength = len[0] | (len[1] << 8) | (len[2] << 16) | (size_t(len[3]) << 24);
  } else {
    throw InputError("'" + path + "' has unsupported .npy format version " + std::to_string(major));
  }
  std::string header(headerLength, '\0');
  if (!in.read(header.data(), static_cast<std::streamsize>(headerLength))) {
    throw InputError("'" + path + "' is truncated (incomplete .npy header)");
  }
  const std::string descr = headerValue(header, "descr");
  const std::string fortran = headerValue(header, "fortran_order");
  const std::string shapeText = headerValue(header, "shape");
  if (descr.size() < 4 || shapeText.empty()) {
    throw InputError("'" + path + "' has a malformed .npy header: " + header);
  }
  if (fortran == "True") {
    throw InputError("'" + path + "' is stored in Fortran order; save it with np.ascontiguousarray first");
  }
  const std::string code = descr.substr(1, descr.size() - 2);  // strip quotes
  const char order = code[0];
  const std::string kind = code.substr(1);
  const DtypeInfo* info = nullptr;
  for (const auto& d : kDtypes) {
    if (kind == d.descr) info = &d;
  }
  if (!info) {
    throw InputError("'" + path + "' has dtype " + code +
                     "; supported: bool, uint8, int8, int16, uint16, int32, int64, float32, float64");
  }
  if (order == '>' && info->itemSize > 1) {
    throw InputError("'" + path + "' is big-endian (" + code + "); save it little-endian");
  }
  std::vector<int64_t> shape;
  std::string dims = shapeText.substr(1, shapeText.size() - 2);
  size_t pos = 0;
  while (pos < dims.size()) {
    size_t comma = dims.find(',', pos);
    std::string item = dims.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    item.erase(0, item.find_first_not_of(' '));
    if (!item.empty()) shape.push_back(std::stoll(item));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  int64_t count = 1;
  for (auto d : shape) count *= d;
  const size_t bytes = static_cast<size_t>(count) * info->itemSize;
  std::vector<char> data(bytes);
  if (bytes > 0 && !in.read(data.data(), static_cast<std::streamsize>(bytes))) {
    throw InputError("'" + path + "' is truncated: expected " + std::to_string(bytes) + " bytes of data");
  }
  if (kind == "u2") {
    // uint16 -> int32 (LibTorch 1.13 has no unsigned 16-bit type).
    auto out = torch::empty(shape, torch::kInt32);
    auto* dst = out.data_ptr<int32_t>();
    for (int64_t i = 0; i < count; ++i) {
      uint16_t v;
      std::memcpy(&v, data.data() + 2 * i, 2);
      dst[i] = v;
    }
    return out;
  }
  auto out = torch::empty(shape, info->dtype);
  if (bytes > 0) std::memcpy(out.data_ptr(), data.data(), bytes);
  return out;
}

void writeNpy(const std::string& path, const at::Tensor& tensor) {
  const torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
  std::string descr;
  switch (t.scalar_type()) {
    case torch::kBool: descr = "|b1"; break;
    case torch::kUInt8: descr = "|u1"; break;
    case torch::kInt8: descr = "|i1"; break;
    case torch::kInt16: descr = "<i2"; break;
    case torch::kInt32: descr = "<i4"; break;
    case torch::kInt64: descr = "<i8"; break;
    case torch::kFloat32: descr = "<f4"; break;
    case torch::kFloat64: descr = "<f8"; break;
    default:
      throw InputError("cannot write a tensor of type " + std::string(c10::toString(t.scalar_type())) +
                       " to .npy");
  }
  // Python tuple syntax: "(3, 4)", "(5,)", "()".
  std::string shape = "(";
  for (int64_t i = 0; i < t.dim(); ++i) shape += (i ? ", " : "") + std::to_string(t.size(i));
  shape += t.dim() == 1 ? ",)" : ")";
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so that magic + length + header is a multiple of 64 and ends in '\n'.
  const size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  PartialOutput output(path);
  {
    std::ofstream out(output.path(), std::ios::binary);
    out.write("\x93NUMPY\x01\x00", 8);
    const uint16_t len = static_cast<uint16_t>(header.size());
    const char lenBytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
    out.write(lenBytes, 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(static_cast<const char*>(t.data_ptr()), static_cast<std::streamsize>(t.numel() * t.element_size()));
    out.flush();
    if (!out) throw IoError("cannot write '" + path + "' (disk full?)");
  }
  output.commit();
}

}  // namespace emitrace::models
