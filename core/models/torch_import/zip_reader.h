#pragma once
// A minimal reader for the uncompressed ("stored") zip archives that
// torch.save writes. It understands zip64 (torch.save always writes the zip64
// end records; archives over 4 GiB also need the zip64 extra fields) and the
// alignment padding torch puts in each local header's extra field so that
// tensor data starts on a 64-byte boundary. Compressed or encrypted entries
// are listed but refused when read.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace emitrace::models::torch_import {

struct ZipEntry {
  std::string name;
  std::uint64_t size = 0;             // uncompressed size, bytes
  std::uint64_t compressedSize = 0;   // bytes stored in the file
  std::uint64_t localHeaderOffset = 0;
  std::uint32_t crc32 = 0;
  std::uint16_t method = 0;           // 0 = stored; anything else is refused on read
  std::uint16_t flags = 0;            // general-purpose bit flags (bit 0 = encrypted)
};

// CRC-32 (ISO-HDLC, the zip checksum) of `size` bytes, continuing `crc`.
std::uint32_t crc32Update(std::uint32_t crc, const void* data, std::size_t size);

class ZipReader {
 public:
  // Opens `path` and reads its central directory. Throws IoError when the file
  // cannot be opened or read, ModelFileError when it is not a complete zip
  // archive (the message names the file and what is missing).
  explicit ZipReader(const std::string& path);
  ~ZipReader();
  ZipReader(const ZipReader&) = delete;
  ZipReader& operator=(const ZipReader&) = delete;

  const std::string& path() const { return path_; }
  std::uint64_t fileSize() const { return fileSize_; }
  const std::vector<ZipEntry>& entries() const { return entries_; }
  // nullptr when the archive holds no entry of that exact name.
  const ZipEntry* find(const std::string& name) const;

  // Reads a whole stored entry. With verifyCrc the data's CRC-32 is compared
  // with the central directory's (a mismatch means the file is corrupt).
  std::string read(const ZipEntry& entry, bool verifyCrc = true) const;
  // Reads a stored entry into `destination`, which must hold entry.size bytes.
  void readInto(const ZipEntry& entry, void* destination, bool verifyCrc = true) const;
  // Streams a stored entry through a small buffer and compares its CRC-32;
  // throws ModelFileError naming the entry on a mismatch.
  void verify(const ZipEntry& entry) const;

 private:
  void readAt(std::uint64_t offset, void* buffer, std::size_t size, const char* what) const;
  std::uint64_t dataOffset(const ZipEntry& entry) const;
  std::string crcMismatch(const ZipEntry& entry) const;
  void readCentralDirectory();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::uint64_t fileSize_ = 0;
  std::vector<ZipEntry> entries_;
  std::unordered_map<std::string, std::size_t> index_;  // name -> entries_ position (first wins)
};

}  // namespace emitrace::models::torch_import
