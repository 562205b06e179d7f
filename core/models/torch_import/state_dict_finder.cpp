#include "core/models/torch_import/state_dict_finder.h"

#include <set>

#include "core/error.h"

namespace emitrace::models::torch_import {
namespace {

using Kind = PickleValue::Kind;

const char* const kCommonKeys[] = {"state_dict", "model_state_dict", "model", "net", "network", "module"};
const std::string kModulePrefix = "module.";

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string shapeText(const std::vector<std::int64_t>& sizes) {
  std::string out = "[";
  for (std::size_t i = 0; i < sizes.size(); ++i) out += (i ? ", " : "") + std::to_string(sizes[i]);
  return out + "]";
}

std::string where(const std::string& location) {
  return location.empty() ? "at its top level" : "under key '" + location + "'";
}

[[noreturn]] void notAStateDict(const std::string& path, const std::string& location,
                                const PickleValue& value) {
  std::string message = path + " holds no state dict " + where(location) + ": ";
  if (value.kind == Kind::Object)
    message += "it holds a pickled " + value.text +
               " object (was the whole model saved with torch.save(model)?). Save its weights "
               "with torch.save(model.state_dict(), path) instead";
  else if (value.kind == Kind::Dict && value.entries.empty())
    message += "the dict there is empty";
  else if (value.kind == Kind::Dict)
    message += "the dict there holds " + describeEntries(value);
  else
    message += "found " + describeValue(value) + " there, not a dict of tensors";
  throw ModelFileError(message);
}

}  // namespace

bool isStateDict(const PickleValue& value) {
  if (value.kind != Kind::Dict) return false;
  std::size_t tensors = 0;
  for (const auto& [k, v] : value.entries) {
    if (!k || k->kind != Kind::String) return false;
    if (v->kind == Kind::Tensor) ++tensors;
    else if (!endsWith(k->text, "_extra_state")) return false;
  }
  return tensors > 0;
}

std::string describeValue(const PickleValue& value) {
  if (value.kind == Kind::Tensor && value.tensor)
    return "tensor " + shapeText(value.tensor->sizes) + " " + elementTypeName(value.tensor->type());
  if (value.kind == Kind::Dict) {
    if (isStateDict(value)) return "state dict of " + std::to_string(value.entries.size()) + " tensors";
    return "dict with " + std::to_string(value.entries.size()) + " entries";
  }
  if (value.kind == Kind::List || value.kind == Kind::Tuple)
    return value.typeName() + " of " + std::to_string(value.items.size());
  return value.typeName();
}

std::string describeEntries(const PickleValue& dict) {
  std::string out;
  std::size_t n = 0;
  for (const auto& [k, v] : dict.entries) {
    if (n++) out += ", ";
    if (n > 20) {
      out += "... (" + std::to_string(dict.entries.size()) + " entries in all)";
      break;
    }
    const std::string key = k->kind == Kind::String ? "'" + k->text + "'"
                            : k->kind == Kind::Int  ? std::to_string(k->integer)
                                                    : k->typeName();
    out += key + " (" + describeValue(*v) + ")";
  }
  return out.empty() ? "nothing" : out;
}

FoundStateDict findStateDict(const PickleValue& root, const ReadOptions& options, const std::string& path) {
  options.validate();
  FoundStateDict found;
  const PickleValue* dict = nullptr;

  if (!options.key.empty()) {
    const PickleValue* current = &root;
    std::string walked;
    std::size_t start = 0;
    while (start <= options.key.size()) {
      const std::size_t slash = options.key.find('/', start);
      const std::string part = options.key.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      if (current->kind != Kind::Dict)
        throw ModelFileError(path + ": cannot look up key '" + part + "' " + where(walked) +
                             ": that is a " + describeValue(*current) + ", not a dict");
      const PickleValuePtr* next = current->find(part);
      if (!next)
        throw ModelFileError(path + " has no key '" + part + "' " + where(walked) +
                             "; the keys there are: " + describeEntries(*current));
      walked += (walked.empty() ? "" : "/") + part;
      current = next->get();
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    if (!isStateDict(*current)) notAStateDict(path, walked, *current);
    dict = current;
    found.location = walked;
  } else if (isStateDict(root)) {
    dict = &root;
  } else if (root.kind == Kind::Dict) {
    for (const char* key : kCommonKeys) {
      const PickleValuePtr* v = root.find(key);
      if (v && isStateDict(**v)) {
        dict = v->get();
        found.location = key;
        break;
      }
    }
    if (!dict) {
      std::vector<std::string> candidates;
      for (const auto& [k, v] : root.entries)
        if (k->kind == Kind::String && isStateDict(*v)) candidates.push_back(k->text);
      if (candidates.size() == 1) {
        dict = root.find(candidates[0])->get();
        found.location = candidates[0];
      } else if (candidates.size() > 1) {
        std::string names;
        for (const auto& c : candidates) names += (names.empty() ? "'" : ", '") + c + "'";
        throw ModelFileError(path + " holds several state dicts (" + names +
                             "); name the one to import with the key option (--key on the command line)");
      } else {
        throw ModelFileError(path + " holds no state dict (a dict of tensors) at its top level or "
                                    "under one of its keys; its top-level keys are: " +
                             describeEntries(root) +
                             ". Name the key that holds the weights (a/b for a nested dict)");
      }
    }
  } else {
    notAStateDict(path, "", root);
  }

  std::set<std::string> names;
  for (const auto& [k, v] : dict->entries) {
    std::string name = k->text;
    if (v->kind != Kind::Tensor) {
      found.skipped.push_back(name + " (" + describeValue(*v) + ")");
      continue;
    }
    if (options.stripModulePrefix && name.rfind(kModulePrefix, 0) == 0) name.erase(0, kModulePrefix.size());
    if (!names.insert(name).second)
      throw ModelFileError(path + ": tensor name '" + name + "' occurs twice in the state dict " +
                           where(found.location) +
                           (options.stripModulePrefix ? " after removing the 'module.' prefix" : ""));
    found.tensors.push_back({name, v->tensor});
  }
  return found;
}

}  // namespace emitrace::models::torch_import
