#include "core/models/torch_import/checkpoint_archive.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/error.h"
#include "core/models/torch_import/torch_pickle.h"
#include "core/models/torch_import/zip_reader.h"

namespace emitrace::models::torch_import {
namespace {

// The pickled magic number that opens a legacy torch.save stream:
// PROTO 2, LONG1 10 bytes = 0x1950a86a20f9469cfc6c.
constexpr unsigned char kLegacyMagic[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c,
                                          0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};

std::string preview(const std::string& head) {
  std::string out;
  for (std::size_t i = 0; i < head.size() && i < 24; ++i) {
    const auto c = static_cast<unsigned char>(head[i]);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

// Identifies what a file that is not a zip archive is, and throws.
void refuseNonZip(const std::string& path, const std::string& head, std::uint64_t size) {
  const auto* h = reinterpret_cast<const unsigned char*>(head.data());
  if (size == 0) throw ModelFileError(path + " is empty (0 bytes); it is not a PyTorch checkpoint");
  if (head.size() >= sizeof kLegacyMagic && std::memcmp(h, kLegacyMagic, sizeof kLegacyMagic) == 0)
    throw ModelFileError(
        path + " uses PyTorch's legacy serialization format (torch.save before PyTorch 1.6, or "
               "_use_new_zipfile_serialization=False), which Emitrace does not read. Re-save it "
               "with PyTorch 1.6 or newer: torch.save(torch.load('old.pt'), 'new.pt')");
  if (head.size() >= 262 && head.compare(257, 5, "ustar") == 0)
    throw ModelFileError(path + " is a tar archive (the tar-based serialization of PyTorch before "
                                "0.4, or an unrelated archive); re-save it with PyTorch 1.6 or newer");
  if (head.size() >= 2 && h[0] == 0x80 && h[1] >= 2 && h[1] <= 5)
    throw ModelFileError(path + " is a plain Python pickle, not a torch.save checkpoint (a zip "
                                "archive); save the weights with torch.save(model.state_dict(), path)");
  if (head.size() >= 10 && head[8] == '{' && head[9] == '"') {
    std::uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i) headerLen = (headerLen << 8) | h[i];
    if (headerLen + 8 <= size)
      throw ModelFileError(path + " looks like a safetensors file, which Emitrace does not import; "
                                  "convert it in Python: torch.save(safetensors.torch.load_file(f), 'weights.pt')");
  }
  throw ModelFileError(path + " is not a PyTorch checkpoint: torch.save writes zip archives, which "
                              "start with 'PK', but this file starts with \"" + preview(head) + "\"");
}

std::string trim(std::string s) {
  const auto notSpace = [](unsigned char c) { return !std::isspace(c); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
  s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
  return s;
}

// Byte-swaps each `width`-byte word in place (big-endian archives).
void swapBytes(unsigned char* data, std::uint64_t bytes, std::size_t width) {
  if (width < 2) return;
  for (std::uint64_t i = 0; i + width <= bytes; i += width) std::reverse(data + i, data + i + width);
}

}  // namespace

CheckpointArchive::CheckpointArchive(const std::string& path) : path_(path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError("cannot open " + path + ": " + std::strerror(errno));
  std::string head(512, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  in.close();
  std::error_code ec;
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) throw IoError("cannot read the size of " + path + ": " + ec.message());
  const bool zip = head.size() >= 4 && head[0] == 'P' && head[1] == 'K' &&
                   ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
  if (!zip) refuseNonZip(path, head, size);

  zip_ = std::make_unique<ZipReader>(path);

  // The records live in one folder; torch names it after the file it wrote.
  std::set<std::string> folders;
  for (const ZipEntry& e : zip_->entries()) {
    const std::size_t slash = e.name.find('/');
    if (slash != std::string::npos && e.name.compare(slash, std::string::npos, "/data.pkl") == 0)
      folders.insert(e.name.substr(0, slash));
  }
  if (folders.empty()) {
    std::string names;
    for (std::size_t i = 0; i < zip_->entries().size() && i < 5; ++i)
      names += (i ? ", " : "") + zip_->entries()[i].name;
    throw ModelFileError(path + " is a zip archive but not a torch.save checkpoint: it has no "
                                "'<name>/data.pkl' record (its entries: " +
                         (names.empty() ? std::string("none") : names) + ")");
  }
  if (folders.size() > 1)
    throw ModelFileError(path + " holds " + std::to_string(folders.size()) +
                         " pickles ('<name>/data.pkl' in several folders); a torch.save file holds one");
  archiveName_ = *folders.begin();
  const std::string prefix = archiveName_ + "/";
  for (const ZipEntry& e : zip_->entries()) {
    if (e.name == prefix + "constants.pkl" || e.name.rfind(prefix + "code/", 0) == 0)
      throw ModelFileError(
          path + " is a TorchScript archive (written by torch.jit.save), not a torch.save "
                 "checkpoint. In Python, load it with torch.jit.load and save its weights with "
                 "torch.save(module.state_dict(), 'weights.pt')");
  }

  const ZipEntry* version = zip_->find(prefix + ".data/version");
  if (!version) version = zip_->find(prefix + "version");
  if (!version)
    throw ModelFileError(path + " is not a complete torch.save checkpoint: it has no version record");
  const std::string versionText = trim(zip_->read(*version));
  try {
    std::size_t used = 0;
    formatVersion_ = std::stoll(versionText, &used);
    if (used != versionText.size() || formatVersion_ < 1) throw std::invalid_argument("range");
  } catch (const std::exception&) {
    throw ModelFileError(path + ": its version record holds '" + versionText + "', not a format number");
  }

  if (const ZipEntry* order = zip_->find(prefix + "byteorder")) {
    const std::string text = trim(zip_->read(*order));
    if (text == "big") bigEndian_ = true;
    else if (text != "little")
      throw ModelFileError(path + ": its byteorder record holds '" + text + "', not 'little' or 'big'");
  }

  const ZipEntry* pickle = zip_->find(prefix + "data.pkl");
  const std::string bytes = zip_->read(*pickle);
  TorchPickleReader reader(bytes, path + " (record " + pickle->name + ")");
  root_ = reader.load();
}

CheckpointArchive::~CheckpointArchive() = default;

const ZipEntry& CheckpointArchive::storageEntry(const StorageRef& storage) const {
  const ZipEntry* entry = zip_->find(archiveName_ + "/data/" + storage.key);
  if (!entry)
    throw ModelFileError(path_ + " is incomplete: storage record '" + archiveName_ + "/data/" +
                         storage.key + "' is missing");
  return *entry;
}

std::uint64_t CheckpointArchive::verifyAllRecords() const {
  std::uint64_t bytes = 0;
  for (const ZipEntry& e : zip_->entries()) {
    zip_->verify(e);
    bytes += e.size;
  }
  return bytes;
}

std::uint64_t CheckpointArchive::storageRecordSize(const StorageRef& storage) const {
  return storageEntry(storage).size;
}

void CheckpointArchive::readStorage(const StorageRef& storage, void* destination, bool verifyCrc) const {
  const ZipEntry& entry = storageEntry(storage);
  const std::size_t width = elementSize(storage.type);
  const std::uint64_t expected = static_cast<std::uint64_t>(storage.numel) * width;
  if (entry.size != expected)
    throw ModelFileError(path_ + " is corrupt: record '" + entry.name + "' holds " +
                         std::to_string(entry.size) + " bytes, but its storage of " +
                         std::to_string(storage.numel) + " " + elementTypeName(storage.type) +
                         " elements needs " + std::to_string(expected));
  zip_->readInto(entry, destination, verifyCrc);
  constexpr bool kHostBigEndian = __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__;
  if (bigEndian_ != kHostBigEndian) {
    // Complex numbers swap each of their two parts.
    const bool complex = storage.type == ElementType::Complex64 || storage.type == ElementType::Complex128;
    swapBytes(static_cast<unsigned char*>(destination), expected, complex ? width / 2 : width);
  }
}

}  // namespace emitrace::models::torch_import
