#pragma once
// Maps tensor names of a PyTorch checkpoint onto the names of a LibTorch
// module's parameters and buffers (the dotted paths of register_module /
// register_parameter / register_buffer).
//
// Rules are tried in the order they were added; the first rule that matches
// a checkpoint name decides, and a name that no rule matches is kept as it
// is. So an empty map is the identity, which is right when the C++ module
// registers its submodules under the Python attribute names.
//   prefix("backbone.", "encoder.")   "backbone.x.weight" -> "encoder.x.weight"
//   prefix("", "rgb.")                every name gets "rgb." in front
//   regex(R"(seg_head\.6\.(.*))", "seg_head.out.$1")   full-match ECMAScript regex, $1..$9
//   ignore(R"(fc\..*)")               drop these checkpoint tensors on purpose (not "unexpected")
#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <regex>
#include <string>
#include <vector>

namespace emitrace::models::torch_import {

class NameMap {
 public:
  NameMap& prefix(const std::string& from, const std::string& to);
  // Throws InputError if `pattern` is not a valid regex.
  NameMap& regex(const std::string& pattern, const std::string& replacement);
  NameMap& ignore(const std::string& pattern);

  // The module name for a checkpoint name; nullopt if an ignore rule matched.
  std::optional<std::string> map(const std::string& checkpointName) const;
  bool empty() const { return rules_.empty(); }

  // [{"prefix": [from, to]}, {"regex": [pattern, replacement]}, {"ignore": pattern}, ...]
  nlohmann::json toJson() const;
  // Throws InputError for anything else.
  static NameMap fromJson(const nlohmann::json& json);

 private:
  enum class Kind { Prefix, Regex, Ignore };
  struct Rule {
    Kind kind;
    std::string from;   // prefix or pattern
    std::string to;     // replacement prefix or regex format
    std::regex re;
  };
  std::vector<Rule> rules_;
};

}  // namespace emitrace::models::torch_import
