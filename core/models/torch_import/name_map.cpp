#include "core/models/torch_import/name_map.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace emitrace::models::torch_import {
namespace {

std::regex compile(const std::string& pattern) {
  try {
    return std::regex(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    throw InputError("name map: '" + pattern + "' is not a valid regular expression (" + e.what() + ")");
  }
}

}  // namespace

NameMap& NameMap::prefix(const std::string& from, const std::string& to) {
  rules_.push_back({Kind::Prefix, from, to, {}});
  return *this;
}

NameMap& NameMap::regex(const std::string& pattern, const std::string& replacement) {
  rules_.push_back({Kind::Regex, pattern, replacement, compile(pattern)});
  return *this;
}

NameMap& NameMap::ignore(const std::string& pattern) {
  rules_.push_back({Kind::Ignore, pattern, "", compile(pattern)});
  return *this;
}

std::optional<std::string> NameMap::map(const std::string& name) const {
  for (const Rule& r : rules_) {
    switch (r.kind) {
      case Kind::Prefix:
        if (name.compare(0, r.from.size(), r.from) == 0) return r.to + name.substr(r.from.size());
        break;
      case Kind::Regex: {
        std::smatch m;
        if (std::regex_match(name, m, r.re)) return m.format(r.to);
        break;
      }
      case Kind::Ignore:
        if (std::regex_match(name, r.re)) return std::nullopt;
        break;
    }
  }
  return name;
}

nlohmann::json NameMap::toJson() const {
  nlohmann::json out = nlohmann::json::array();
  for (const Rule& r : rules_) {
    switch (r.kind) {
      case Kind::Prefix: out.push_back({{"prefix", {r.from, r.to}}}); break;
      case Kind::Regex: out.push_back({{"regex", {r.from, r.to}}}); break;
      case Kind::Ignore: out.push_back({{"ignore", r.from}}); break;
    }
  }
  return out;
}

NameMap NameMap::fromJson(const nlohmann::json& json) {
  const auto bad = [&](const nlohmann::json& rule) {
    return InputError("name map rule " + rule.dump() +
                      " is not one of {\"prefix\": [from, to]}, {\"regex\": [pattern, replacement]}, "
                      "{\"ignore\": pattern}");
  };
  if (!json.is_array()) throw InputError("a name map is a JSON array of rules, not " + json.dump());
  NameMap map;
  for (const auto& rule : json) {
    if (!rule.is_object() || rule.size() != 1) throw bad(rule);
    const auto it = rule.begin();
    const std::string kind = it.key();
    const nlohmann::json& value = it.value();
    const bool pair = value.is_array() && value.size() == 2 && value[0].is_string() && value[1].is_string();
    if (kind == "prefix" && pair) map.prefix(value[0], value[1]);
    else if (kind == "regex" && pair) map.regex(value[0], value[1]);
    else if (kind == "ignore" && value.is_string()) map.ignore(value);
    else throw bad(rule);
  }
  return map;
}

}  // namespace emitrace::models::torch_import
