#include "core/models/torch_import/apply_state_dict.h"

#include <torch/torch.h>

#include <nlohmann/json.hpp>

#include <map>
#include <regex>
#include <sstream>

#include "core/error.h"

namespace emitrace::models::torch_import {
namespace {

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string out = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

std::string dtypeName(const at::Tensor& t) {
  switch (t.scalar_type()) {
    case at::kFloat: return "float32";
    case at::kDouble: return "float64";
    case at::kHalf: return "float16";
    case at::kBFloat16: return "bfloat16";
    case at::kComplexFloat: return "complex64";
    case at::kComplexDouble: return "complex128";
    case at::kLong: return "int64";
    case at::kInt: return "int32";
    case at::kShort: return "int16";
    case at::kChar: return "int8";
    case at::kByte: return "uint8";
    case at::kBool: return "bool";
    default: return c10::toString(t.scalar_type());
  }
}

// Casts within one of these kinds keep the meaning of the values.
int dtypeKind(at::ScalarType t) {
  if (t == at::kBool) return 0;
  if (at::isComplexType(t)) return 1;
  if (at::isFloatingType(t)) return 2;
  return 3;  // integers
}

std::vector<std::int64_t> shapeOf(const at::Tensor& t) { return t.sizes().vec(); }

std::string named(const std::string& moduleName, const std::string& checkpointName) {
  std::string out = "'" + moduleName + "'";
  if (!checkpointName.empty() && checkpointName != moduleName)
    out += " (checkpoint name '" + checkpointName + "')";
  return out;
}

struct Target {
  std::string name;
  at::Tensor tensor;
};

struct Pair {
  std::size_t target;
  std::string checkpointName;
  at::Tensor source;
};

}  // namespace

std::size_t ApplyReport::problemCount() const {
  return missing.size() + unexpected.size() + shapeMismatches.size() + dtypeMismatches.size() +
         duplicateTargets.size() + transformErrors.size();
}

std::string ApplyReport::problemsText() const {
  std::ostringstream out;
  for (const ShapeMismatch& m : shapeMismatches)
    out << "  shape mismatch: " << named(m.moduleName, m.checkpointName) << ": the model expects "
        << shapeText(m.expected) << ", the checkpoint has " << shapeText(m.got) << "\n";
  for (const ReportedTensor& t : missing)
    out << "  missing from the checkpoint: '" << t.name << "' " << shapeText(t.shape) << " " << t.dtype << "\n";
  for (const ReportedTensor& t : unexpected)
    out << "  unexpected in the checkpoint: " << named(t.name, t.checkpointName) << " "
        << shapeText(t.shape) << " " << t.dtype << " (the model has no tensor of that name)\n";
  for (const DtypeChange& d : dtypeMismatches)
    out << "  dtype mismatch: " << named(d.moduleName, d.checkpointName) << ": the model holds "
        << d.to << ", the checkpoint " << d.from << "\n";
  for (const std::string& name : duplicateTargets)
    out << "  several checkpoint tensors map to '" << name << "'\n";
  for (const std::string& e : transformErrors) out << "  transform failed: " << e << "\n";
  return out.str();
}

nlohmann::json ApplyReport::toJson() const {
  const auto tensors = [](const std::vector<ReportedTensor>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const ReportedTensor& t : list)
      out.push_back({{"name", t.name}, {"checkpoint_name", t.checkpointName}, {"shape", t.shape}, {"dtype", t.dtype}});
    return out;
  };
  const auto changes = [](const std::vector<DtypeChange>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const DtypeChange& d : list)
      out.push_back({{"name", d.moduleName}, {"checkpoint_name", d.checkpointName}, {"from", d.from}, {"to", d.to}});
    return out;
  };
  nlohmann::json shapes = nlohmann::json::array();
  for (const ShapeMismatch& m : shapeMismatches)
    shapes.push_back({{"name", m.moduleName}, {"checkpoint_name", m.checkpointName},
                      {"expected", m.expected}, {"got", m.got}});
  return {{"source", source},
          {"ok", ok()},
          {"loaded", loaded.size()},
          {"missing", tensors(missing)},
          {"unexpected", tensors(unexpected)},
          {"shape_mismatches", shapes},
          {"dtype_mismatches", changes(dtypeMismatches)},
          {"duplicate_targets", duplicateTargets},
          {"transform_errors", transformErrors},
          {"conversions", changes(conversions)},
          {"ignored", ignored},
          {"kept_as_initialised", keptAsInitialised},
          {"transformed", transformed}};
}

ApplyReport applyStateDict(torch::nn::Module& module, const StateDict& stateDict,
                           const NameMap& nameMap, const ApplyOptions& options) {
  std::vector<std::regex> allowMissing;
  std::vector<std::regex> transformPatterns;
  try {
    for (const std::string& p : options.allowMissing) allowMissing.emplace_back(p);
    for (const TensorTransform& t : options.transforms) transformPatterns.emplace_back(t.pattern);
  } catch (const std::regex_error& e) {
    throw InputError(std::string("applyStateDict: a tensor name pattern is not a valid regular expression: ") + e.what());
  }

  ApplyReport report;
  report.source = stateDict.path + (stateDict.location.empty() ? "" : " (key '" + stateDict.location + "')");

  std::vector<Target> targets;
  std::map<std::string, std::size_t> targetIndex;
  for (const auto& item : module.named_parameters(/*recurse=*/true))
    if (item.value().defined() && targetIndex.emplace(item.key(), targets.size()).second)
      targets.push_back({item.key(), item.value()});
  for (const auto& item : module.named_buffers(/*recurse=*/true))
    if (item.value().defined() && targetIndex.emplace(item.key(), targets.size()).second)
      targets.push_back({item.key(), item.value()});

  std::vector<Pair> pairs;
  std::vector<bool> provided(targets.size(), false);
  for (const StateDictEntry& entry : stateDict.entries) {
    const std::optional<std::string> mapped = nameMap.map(entry.name);
    if (!mapped) {
      report.ignored.push_back(entry.name);
      continue;
    }
    const auto it = targetIndex.find(*mapped);
    if (it == targetIndex.end()) {
      report.unexpected.push_back({*mapped, entry.name, shapeOf(entry.tensor), dtypeName(entry.tensor)});
      continue;
    }
    if (provided[it->second]) {
      report.duplicateTargets.push_back(*mapped);
      continue;
    }
    provided[it->second] = true;
    pairs.push_back({it->second, entry.name, entry.tensor});
  }
  for (std::size_t i = 0; i < targets.size(); ++i) {
    if (provided[i]) continue;
    bool allowed = false;
    for (const std::regex& re : allowMissing) allowed = allowed || std::regex_match(targets[i].name, re);
    if (allowed) report.keptAsInitialised.push_back(targets[i].name);
    else report.missing.push_back({targets[i].name, "", shapeOf(targets[i].tensor), dtypeName(targets[i].tensor)});
  }

  std::vector<Pair> good;
  for (Pair& p : pairs) {
    const Target& target = targets[p.target];
    for (std::size_t k = 0; k < options.transforms.size(); ++k) {
      if (!std::regex_match(target.name, transformPatterns[k])) continue;
      try {
        p.source = options.transforms[k].apply(p.source);
        report.transformed.push_back(target.name + ": " + options.transforms[k].description);
      } catch (const std::exception& e) {
        report.transformErrors.push_back("'" + target.name + "' (" + options.transforms[k].description + "): " + e.what());
        p.source = at::Tensor();
      }
      break;
    }
    if (!p.source.defined()) continue;
    if (p.source.sizes() != target.tensor.sizes()) {
      report.shapeMismatches.push_back({target.name, p.checkpointName, shapeOf(target.tensor), shapeOf(p.source)});
      continue;
    }
    if (p.source.scalar_type() != target.tensor.scalar_type()) {
      DtypeChange change{target.name, p.checkpointName, dtypeName(p.source), dtypeName(target.tensor)};
      if (options.allowDtypeConversion &&
          dtypeKind(p.source.scalar_type()) == dtypeKind(target.tensor.scalar_type())) {
        report.conversions.push_back(change);
      } else {
        report.dtypeMismatches.push_back(change);
        continue;
      }
    }
    good.push_back(p);
  }

  if (options.strict && !report.ok())
    throw ModelFileError(
        stateDict.path + ": the checkpoint" +
        (stateDict.location.empty() ? "" : " (state dict under key '" + stateDict.location + "')") +
        " does not fit the model; " + std::to_string(report.problemCount()) + " problem(s):\n" +
        report.problemsText() +
        "Check that the model's configuration (bands, widths, classes, variant) matches the "
        "checkpoint and that the name map is right; `emitrace models inspect-state-dict " +
        stateDict.path + "` lists the checkpoint's tensors.");

  torch::NoGradGuard noGrad;
  for (const Pair& p : good) {
    targets[p.target].tensor.copy_(p.source);
    report.loaded.push_back(targets[p.target].name);
  }
  return report;
}

}  // namespace emitrace::models::torch_import
