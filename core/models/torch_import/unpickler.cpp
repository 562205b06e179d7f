#include "core/models/torch_import/unpickler.h"

#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace emitrace::models::torch_import {
namespace {

using Kind = PickleValue::Kind;

// Opcodes of pickle protocols 2-4 (Lib/pickletools.py documents each one).
enum Op : std::uint8_t {
  kMark = '(', kStop = '.', kPop = '0', kPopMark = '1', kDup = '2',
  kNone = 'N', kNewTrue = 0x88, kNewFalse = 0x89,
  kBinInt = 'J', kBinInt1 = 'K', kBinInt2 = 'M', kLong1 = 0x8a, kLong4 = 0x8b,
  kBinFloat = 'G',
  kBinString = 'T', kShortBinString = 'U',
  kBinUnicode = 'X', kShortBinUnicode = 0x8c, kBinUnicode8 = 0x8d,
  kBinBytes = 'B', kShortBinBytes = 'C', kBinBytes8 = 0x8e,
  kEmptyList = ']', kAppend = 'a', kAppends = 'e', kList = 'l',
  kEmptyTuple = ')', kTuple = 't', kTuple1 = 0x85, kTuple2 = 0x86, kTuple3 = 0x87,
  kEmptyDict = '}', kDict = 'd', kSetItem = 's', kSetItems = 'u',
  kEmptySet = 0x8f, kAddItems = 0x90, kFrozenSet = 0x91,
  kGlobal = 'c', kStackGlobal = 0x93, kReduce = 'R', kBuild = 'b', kNewObj = 0x81, kNewObjEx = 0x92,
  kBinPut = 'q', kLongBinPut = 'r', kMemoize = 0x94, kBinGet = 'h', kLongBinGet = 'j',
  kBinPersId = 'Q', kProto = 0x80, kFrame = 0x95
};

std::string describeOpcode(std::uint8_t op) {
  char buf[32];
  if (op >= 0x20 && op < 0x7f) std::snprintf(buf, sizeof buf, "'%c' (0x%02x)", op, op);
  else std::snprintf(buf, sizeof buf, "0x%02x", op);
  return buf;
}

// Python 2 module names that Python 3's unpickler maps (fix_imports).
std::string fixModule(std::string module) {
  if (module == "__builtin__") return "builtins";
  if (module == "copy_reg") return "copyreg";
  return module;
}

// _codecs.encode(text, "latin1") is how protocol 2 pickles bytes: every code
// point of `text` is one byte. Returns false if a code point exceeds 0xFF.
bool utf8ToLatin1(const std::string& text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < text.size()) {
      const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
      if (cp > 0xFF) return false;
      out.push_back(static_cast<char>(cp));
      i += 2;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

Unpickler::Unpickler(std::string_view data, std::string source)
    : data_(data), source_(std::move(source)) {}

void Unpickler::fail(const std::string& what) const {
  throw ModelFileError(source_ + ": malformed or unsupported pickle at byte " +
                       std::to_string(opcodePos_) + ": " + what);
}

std::uint8_t Unpickler::readByte() {
  if (pos_ >= data_.size()) fail("the pickle ends before its STOP opcode (truncated)");
  return static_cast<std::uint8_t>(data_[pos_++]);
}

std::string_view Unpickler::readBytes(std::uint64_t n) {
  if (n > data_.size() - pos_)
    fail("an argument of " + std::to_string(n) + " bytes runs past the end of the pickle");
  const std::string_view out = data_.substr(pos_, static_cast<std::size_t>(n));
  pos_ += static_cast<std::size_t>(n);
  return out;
}

std::uint64_t Unpickler::readUint(int bytes) {
  const std::string_view b = readBytes(static_cast<std::uint64_t>(bytes));
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[i]);
  return v;
}

std::string Unpickler::readLine() {
  const std::size_t nl = data_.find('\n', pos_);
  if (nl == std::string_view::npos) fail("a GLOBAL name is not terminated by a newline");
  std::string line(data_.substr(pos_, nl - pos_));
  pos_ = nl + 1;
  return line;
}

PickleValuePtr Unpickler::pop() {
  if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back()))
    fail("stack underflow");
  PickleValuePtr v = std::move(stack_.back());
  stack_.pop_back();
  return v;
}

PickleValuePtr& Unpickler::top() {
  if (stack_.empty() || (!marks_.empty() && stack_.size() <= marks_.back()))
    fail("stack underflow");
  return stack_.back();
}

std::vector<PickleValuePtr> Unpickler::popToMark() {
  if (marks_.empty()) fail("an opcode needs a MARK but none is set");
  const std::size_t mark = marks_.back();
  marks_.pop_back();
  std::vector<PickleValuePtr> items(std::make_move_iterator(stack_.begin() + static_cast<std::ptrdiff_t>(mark)),
                                    std::make_move_iterator(stack_.end()));
  stack_.resize(mark);
  return items;
}

PickleValuePtr Unpickler::memoGet(std::uint64_t index) {
  const auto it = memo_.find(index);
  if (it == memo_.end()) fail("memo entry " + std::to_string(index) + " is read before it is stored");
  return it->second;
}

void Unpickler::setItems(const PickleValuePtr& dict, const std::vector<PickleValuePtr>& kv) {
  if (kv.size() % 2 != 0) fail("SETITEMS with an odd number of keys and values");
  if (dict->kind != Kind::Dict && dict->kind != Kind::Object)
    fail("SETITEM(S) on a " + dict->typeName());
  for (std::size_t i = 0; i < kv.size(); i += 2) dict->entries.emplace_back(kv[i], kv[i + 1]);
}

void Unpickler::appendItems(const PickleValuePtr& list, const std::vector<PickleValuePtr>& items) {
  // An opaque object that pickles list items (a list subclass) keeps nothing:
  // nothing the importer needs can depend on it.
  if (list->kind == Kind::Object) return;
  if (list->kind != Kind::List) fail("APPEND(S) on a " + list->typeName());
  list->items.insert(list->items.end(), items.begin(), items.end());
}

PickleValuePtr Unpickler::makeGlobal(std::string module, std::string name) {
  return PickleValue::makeString(fixModule(std::move(module)) + "." + name, Kind::Global);
}

PickleValuePtr Unpickler::call(const PickleValuePtr& callable, const PickleValuePtr& args) {
  const std::string name = callable->kind == Kind::Global ? callable->text : "";
  const auto& a = args->items;
  if (name == "collections.OrderedDict" || name == "builtins.dict" ||
      name == "collections.defaultdict") {
    auto dict = PickleValue::make(Kind::Dict);
    // OrderedDict([(k, v), ...]) form; protocol 2 normally uses SETITEMS instead.
    if (name != "collections.defaultdict" && !a.empty() && a[0]->kind == Kind::List) {
      for (const auto& pair : a[0]->items)
        if (pair->kind == Kind::Tuple && pair->items.size() == 2)
          dict->entries.emplace_back(pair->items[0], pair->items[1]);
    }
    return dict;
  }
  if (name == "builtins.set" || name == "builtins.frozenset") {
    auto set = PickleValue::make(Kind::Set);
    if (!a.empty() && (a[0]->kind == Kind::List || a[0]->kind == Kind::Tuple)) set->items = a[0]->items;
    return set;
  }
  if ((name == "_codecs.encode" || name == "builtins.bytearray" || name == "builtins.bytes") &&
      a.size() == 2 && a[0]->kind == Kind::String && a[1]->kind == Kind::String) {
    const std::string& encoding = a[1]->text;
    std::string bytes;
    if (encoding == "latin1" || encoding == "latin-1" || encoding == "iso-8859-1") {
      if (!utf8ToLatin1(a[0]->text, bytes)) fail("_codecs.encode: text is not latin-1");
    } else if (encoding == "utf-8" || encoding == "utf8" || encoding == "ascii") {
      bytes = a[0]->text;
    } else {
      fail("_codecs.encode with the unsupported encoding '" + encoding + "'");
    }
    return PickleValue::makeString(std::move(bytes), Kind::Bytes);
  }
  if ((name == "builtins.bytearray" || name == "builtins.bytes") && a.size() == 1 &&
      a[0]->kind == Kind::Bytes)
    return PickleValue::makeString(a[0]->text, Kind::Bytes);
  if ((name == "builtins.bytearray" || name == "builtins.bytes") && a.empty())
    return PickleValue::makeString("", Kind::Bytes);

  auto object = PickleValue::make(Kind::Object);
  object->text = name.empty() ? "object made by a " + callable->typeName() : name;
  object->items = a;
  return object;
}

PickleValuePtr Unpickler::persistentLoad(const PickleValuePtr& pid) {
  fail("a persistent id appears in a pickle that does not define any");
}

void Unpickler::build(const PickleValuePtr& object, const PickleValuePtr& state) {
  object->state = state;
}

PickleValuePtr Unpickler::load() {
  pos_ = 0;
  stack_.clear();
  marks_.clear();
  memo_.clear();
  for (;;) {
    opcodePos_ = pos_;
    const std::uint8_t op = readByte();
    switch (op) {
      case kProto: {
        const std::uint8_t version = readByte();
        if (version < 2 || version > 4)
          fail("pickle protocol " + std::to_string(version) +
               " is not supported (torch.save writes protocol 2 unless told otherwise; 2 to 4 are read)");
        break;
      }
      case kFrame: readUint(8); break;  // framing is only a read-ahead hint
      case kStop: {
        if (stack_.empty()) fail("STOP with an empty stack");
        return stack_.back();
      }
      case kMark: marks_.push_back(stack_.size()); break;
      case kPop:
        if (!stack_.empty() && (marks_.empty() || stack_.size() > marks_.back())) stack_.pop_back();
        else popToMark();
        break;
      case kPopMark: popToMark(); break;
      case kDup: {
        PickleValuePtr copy = top();
        stack_.push_back(std::move(copy));
        break;
      }
      case kNone: stack_.push_back(PickleValue::make(Kind::None)); break;
      case kNewTrue:
      case kNewFalse: {
        auto v = PickleValue::make(Kind::Bool);
        v->boolean = op == kNewTrue;
        stack_.push_back(v);
        break;
      }
      case kBinInt: stack_.push_back(PickleValue::makeInt(static_cast<std::int32_t>(readUint(4)))); break;
      case kBinInt1: stack_.push_back(PickleValue::makeInt(readByte())); break;
      case kBinInt2: stack_.push_back(PickleValue::makeInt(static_cast<std::int64_t>(readUint(2)))); break;
      case kLong1:
      case kLong4: {
        const std::uint64_t n = op == kLong1 ? readByte() : readUint(4);
        const std::string_view b = readBytes(n);
        if (n <= 8) {
          std::uint64_t v = 0;
          for (std::size_t i = n; i-- > 0;) v = (v << 8) | static_cast<unsigned char>(b[i]);
          if (n > 0 && n < 8 && (static_cast<unsigned char>(b[n - 1]) & 0x80u))
            v |= ~std::uint64_t{0} << (8 * n);  // sign-extend
          stack_.push_back(PickleValue::makeInt(static_cast<std::int64_t>(v)));
        } else {
          stack_.push_back(PickleValue::makeString(std::string(b), Kind::BigInt));
        }
        break;
      }
      case kBinFloat: {
        const std::string_view b = readBytes(8);
        std::uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<unsigned char>(b[i]);  // big-endian
        auto v = PickleValue::make(Kind::Float);
        std::memcpy(&v->real, &bits, sizeof bits);
        stack_.push_back(v);
        break;
      }
      case kBinUnicode:
      case kShortBinUnicode:
      case kBinUnicode8:
      case kBinString:
      case kShortBinString: {
        const int lenBytes = (op == kShortBinUnicode || op == kShortBinString) ? 1 : op == kBinUnicode8 ? 8 : 4;
        stack_.push_back(PickleValue::makeString(std::string(readBytes(readUint(lenBytes)))));
        break;
      }
      case kBinBytes:
      case kShortBinBytes:
      case kBinBytes8: {
        const int lenBytes = op == kShortBinBytes ? 1 : op == kBinBytes8 ? 8 : 4;
        stack_.push_back(PickleValue::makeString(std::string(readBytes(readUint(lenBytes))), Kind::Bytes));
        break;
      }
      case kEmptyList: stack_.push_back(PickleValue::make(Kind::List)); break;
      case kEmptyTuple: stack_.push_back(PickleValue::make(Kind::Tuple)); break;
      case kEmptyDict: stack_.push_back(PickleValue::make(Kind::Dict)); break;
      case kEmptySet: stack_.push_back(PickleValue::make(Kind::Set)); break;
      case kList:
      case kTuple:
      case kFrozenSet: {
        auto v = PickleValue::make(op == kList ? Kind::List : op == kTuple ? Kind::Tuple : Kind::Set);
        v->items = popToMark();
        stack_.push_back(v);
        break;
      }
      case kTuple1:
      case kTuple2:
      case kTuple3: {
        const std::size_t n = op - kTuple1 + 1u;
        auto v = PickleValue::make(Kind::Tuple);
        v->items.resize(n);
        for (std::size_t i = n; i-- > 0;) v->items[i] = pop();
        stack_.push_back(v);
        break;
      }
      case kDict: {
        auto v = PickleValue::make(Kind::Dict);
        setItems(v, popToMark());
        stack_.push_back(v);
        break;
      }
      case kAppend: {
        auto item = pop();
        appendItems(top(), {item});
        break;
      }
      case kAppends: {
        auto items = popToMark();
        appendItems(top(), items);
        break;
      }
      case kSetItem: {
        auto value = pop();
        auto key = pop();
        setItems(top(), {key, value});
        break;
      }
      case kSetItems: {
        auto kv = popToMark();
        setItems(top(), kv);
        break;
      }
      case kAddItems: {
        auto items = popToMark();
        PickleValuePtr& set = top();
        if (set->kind != Kind::Set) fail("ADDITEMS on a " + set->typeName());
        set->items.insert(set->items.end(), items.begin(), items.end());
        break;
      }
      case kGlobal: {
        std::string module = readLine();
        std::string name = readLine();
        stack_.push_back(makeGlobal(std::move(module), std::move(name)));
        break;
      }
      case kStackGlobal: {
        auto name = pop();
        auto module = pop();
        if (!module->isString() || !name->isString()) fail("STACK_GLOBAL needs two strings");
        stack_.push_back(makeGlobal(module->text, name->text));
        break;
      }
      case kReduce:
      case kNewObj: {
        auto args = pop();
        auto callable = pop();
        if (args->kind != Kind::Tuple) fail("REDUCE/NEWOBJ arguments are a " + args->typeName() + ", not a tuple");
        stack_.push_back(call(callable, args));
        break;
      }
      case kNewObjEx: {
        pop();  // keyword arguments: only opaque objects take them
        auto args = pop();
        auto callable = pop();
        if (args->kind != Kind::Tuple) fail("NEWOBJ_EX arguments are not a tuple");
        stack_.push_back(call(callable, args));
        break;
      }
      case kBuild: {
        auto state = pop();
        build(top(), state);
        break;
      }
      case kBinPut: memo_[readByte()] = top(); break;
      case kLongBinPut: memo_[readUint(4)] = top(); break;
      case kMemoize: {
        const std::uint64_t index = memo_.size();
        memo_[index] = top();
        break;
      }
      case kBinGet: stack_.push_back(memoGet(readByte())); break;
      case kLongBinGet: stack_.push_back(memoGet(readUint(4))); break;
      case kBinPersId: {
        auto pid = pop();
        stack_.push_back(persistentLoad(pid));
        break;
      }
      default:
        fail("opcode " + describeOpcode(op) +
             " is not one torch.save emits (text-mode, extension-registry and out-of-band "
             "buffer opcodes are not supported)");
    }
  }
}

}  // namespace emitrace::models::torch_import
