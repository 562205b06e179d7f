#pragma once
// A small, strict unpickler for the binary pickle protocols (2 to 4) that
// torch.save uses (protocol 2 by default). It never executes anything: a
// class reference becomes a PickleValue of kind Global, and calling one
// (REDUCE, NEWOBJ) builds the few Python types checkpoints are made of
// (OrderedDict, set, bytes via _codecs.encode) or else an opaque Object that
// records the class name and arguments. Subclasses add meaning to further
// callables and to persistent ids (TorchPickleReader: storages and tensors).
// Unknown opcodes, stack underflow, truncation and dangling memo references
// throw ModelFileError naming the source and the byte offset.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/models/torch_import/pickle_value.h"

namespace emitrace::models::torch_import {

class Unpickler {
 public:
  // `source` names the pickle in messages, e.g. "model.pt (record archive/data.pkl)".
  Unpickler(std::string_view data, std::string source);
  virtual ~Unpickler() = default;

  // Decodes the whole pickle (up to STOP) and returns its top-level value.
  PickleValuePtr load();

 protected:
  // REDUCE and NEWOBJ: `callable` applied to the tuple `args`. The base class
  // knows collections.OrderedDict, builtins.set/frozenset/list/dict/tuple and
  // _codecs.encode; anything else becomes an opaque Object.
  virtual PickleValuePtr call(const PickleValuePtr& callable, const PickleValuePtr& args);
  // BINPERSID. The base class refuses persistent ids.
  virtual PickleValuePtr persistentLoad(const PickleValuePtr& pid);
  // BUILD: sets `object`'s state (instance attributes). Dicts keep their
  // items; the state of an OrderedDict (its _metadata) is stored aside.
  virtual void build(const PickleValuePtr& object, const PickleValuePtr& state);

  [[noreturn]] void fail(const std::string& what) const;
  const std::string& source() const { return source_; }

 private:
  std::uint8_t readByte();
  std::string_view readBytes(std::uint64_t n);
  std::uint64_t readUint(int bytes);
  std::string readLine();
  PickleValuePtr pop();
  PickleValuePtr& top();
  std::vector<PickleValuePtr> popToMark();
  PickleValuePtr memoGet(std::uint64_t index);
  void setItems(const PickleValuePtr& dict, const std::vector<PickleValuePtr>& keysAndValues);
  void appendItems(const PickleValuePtr& list, const std::vector<PickleValuePtr>& items);
  PickleValuePtr makeGlobal(std::string module, std::string name);

  std::string_view data_;
  std::string source_;
  std::size_t pos_ = 0;
  std::size_t opcodePos_ = 0;
  std::vector<PickleValuePtr> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<std::uint64_t, PickleValuePtr> memo_;
};

}  // namespace emitrace::models::torch_import
