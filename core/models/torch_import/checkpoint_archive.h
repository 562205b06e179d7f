#pragma once
// An opened torch.save checkpoint (PyTorch >= 1.6 zip format): its records
// `<archive>/data.pkl` (the pickled object), `<archive>/data/<key>` (one per
// storage), `<archive>/version` or `.data/version`, and optionally
// `<archive>/byteorder`. Opening decodes data.pkl but reads no tensor data.
//
// Files that are not such checkpoints are refused with a message that says
// what they are and what to do: the legacy (pre-1.6) torch.save format,
// TorchScript archives (torch.jit.save), safetensors files, other zip files,
// other pickles, truncated or damaged files, and anything else.
#include <cstdint>
#include <memory>
#include <string>

#include "core/models/torch_import/pickle_value.h"

namespace emitrace::models::torch_import {

class ZipReader;
struct ZipEntry;

class CheckpointArchive {
 public:
  // Throws IoError (cannot read) or ModelFileError (not a usable checkpoint).
  explicit CheckpointArchive(const std::string& path);
  ~CheckpointArchive();
  CheckpointArchive(const CheckpointArchive&) = delete;
  CheckpointArchive& operator=(const CheckpointArchive&) = delete;

  const std::string& path() const { return path_; }
  // The records' folder inside the zip: "archive" for buffers, the file's
  // stem when torch.save was given a path (e.g. "resnet50-0676ba61").
  const std::string& archiveName() const { return archiveName_; }
  std::int64_t formatVersion() const { return formatVersion_; }
  bool bigEndian() const { return bigEndian_; }
  // The decoded data.pkl.
  const PickleValuePtr& root() const { return root_; }

  // Bytes in the storage's record (numel * element size for a sound file).
  std::uint64_t storageRecordSize(const StorageRef& storage) const;
  // Reads the storage's elements into `destination` (storage.numel elements
  // of its element type, host byte order). Throws ModelFileError if the
  // record is missing, has the wrong size or (with verifyCrc) is damaged.
  void readStorage(const StorageRef& storage, void* destination, bool verifyCrc) const;
  // Checks the CRC-32 of every record of the archive (including ones no
  // state dict uses); returns the bytes checked. Throws ModelFileError
  // naming the first damaged record.
  std::uint64_t verifyAllRecords() const;

 private:
  const ZipEntry& storageEntry(const StorageRef& storage) const;

  std::string path_;
  std::unique_ptr<ZipReader> zip_;
  std::string archiveName_;
  std::int64_t formatVersion_ = 0;
  bool bigEndian_ = false;
  PickleValuePtr root_;
};

}  // namespace emitrace::models::torch_import
