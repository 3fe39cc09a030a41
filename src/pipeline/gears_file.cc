#include "pipeline/gears_file.h"

#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>

#include "common/atomic_file.h"
#include "pipeline/option_schema.h"
#include "pipeline/yaml_bounds.h"
#include "pipeline/yaml_keys.h"
#include "runtime/gear_table.h"
#include "stats/core/gear_limits.h"

namespace autoscale {

namespace {

// One gear of one batch model: n, h, w.
using Shape3 = std::tuple<int64_t, int64_t, int64_t>;

std::string At(const std::string& path, const YAML::Node& n) {
  return path + ":" + std::to_string(n.Mark().line + 1);
}

std::string DimsText(const std::vector<int64_t>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + "]";
}

// Why (n, c, h, w) does not fit `shape`, or "".
std::string Mismatch(const std::vector<int64_t>& nchw, const InputShape& shape) {
  static const char* kNames[] = {"N", "C", "H", "W"};
  for (int d = 0; d < 4; ++d) {
    const int64_t v = nchw[d];
    if (shape.dims[d] >= 0 && v != shape.dims[d])
      return std::string(kNames[d]) + " is fixed at " + std::to_string(shape.dims[d]) +
             " by the input shape " + shape.ToString();
    if (v < 1) return std::string(kNames[d]) + " must be positive";
  }
  if (nchw[kN] > kMaxBatchGear) return "N must be at most " + std::to_string(kMaxBatchGear);
  return "";
}

// The gear set of `shapes` for `shape`: the batch gears, every (h, w) in
// `hw`, and a batch model's own list when it differs from the union.
Result<GearSet> GearSetOf(const std::set<Shape3>& shapes, const InputShape& shape,
                          const std::string& path) {
  if (shapes.empty()) return Status::Error(path + ": no gear in the file");
  std::map<int64_t, std::vector<HwGear>> per_batch;
  std::set<HwGear> all;
  for (const auto& [n, h, w] : shapes) {
    per_batch[n].push_back({h, w});
    all.insert({h, w});
  }
  GearSet g;
  if (shape.BatchDynamic())
    for (const auto& [n, list] : per_batch) g.batch.push_back(n);
  if (shape.HwDynamic()) {
    g.hw.assign(all.begin(), all.end());
    for (const auto& [n, list] : per_batch)
      if (list != g.hw && shape.BatchDynamic()) g.hw_per_batch[n] = list;
  }
  Normalize(&g, shape);
  return g;
}

// A list of integers, or why not.
std::string IntList(const YAML::Node& n, std::vector<int64_t>* out) {
  if (!n.IsSequence()) return "expected a list of integers, got " + DescribeYaml(n);
  out->clear();
  for (const auto& item : n) {
    int64_t v = 0;
    std::string why = ReadYamlInteger(item, 1, int64_t{1} << 30, &v);
    if (!why.empty()) return why;
    out->push_back(v);
  }
  return "";
}

// [[h, w], ...], or why not.
std::string HwList(const YAML::Node& n, std::vector<HwGear>* out) {
  if (!n.IsSequence()) return "expected a list of [h, w], got " + DescribeYaml(n);
  out->clear();
  for (const auto& item : n) {
    std::vector<int64_t> v;
    if (!IntList(item, &v).empty() || v.size() != 2)
      return "expected [h, w] pairs of positive integers, got " + DescribeYaml(item);
    out->push_back({v[0], v[1]});
  }
  return "";
}

// Adds (n, c, h, w) after checking it against `shape`.
Status AddShape(const std::vector<int64_t>& nchw, const InputShape& shape, const std::string& where,
                std::set<Shape3>* shapes) {
  std::string why = Mismatch(nchw, shape);
  if (!why.empty()) return Status::Error(where + ": gear " + DimsText(nchw) + ": " + why);
  shapes->insert({nchw[kN], nchw[kH], nchw[kW]});
  return Status::Ok();
}

// [[n, c, h, w], ...] (scaling_data.json's lists, or a list file).
Status ReadShapeList(const YAML::Node& list, const InputShape& shape, const std::string& path,
                     std::set<Shape3>* shapes) {
  if (!list.IsSequence())
    return Status::Error(At(path, list) + ": expected a list of [n, c, h, w], got " +
                         DescribeYaml(list));
  for (const auto& item : list) {
    std::vector<int64_t> v;
    if (!IntList(item, &v).empty() || v.size() != 4)
      return Status::Error(At(path, item) + ": expected [n, c, h, w] of positive integers, got " +
                           DescribeYaml(item));
    Status s = AddShape(v, shape, At(path, item), shapes);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

// The mapping form: batch_size, height, width, hw, hw_per_batch.
Status ReadGearMapping(const YAML::Node& root, const InputShape& shape, const std::string& path,
                       std::set<Shape3>* shapes) {
  std::vector<int64_t> batch, height, width;
  std::vector<HwGear> hw;
  std::map<int64_t, std::vector<HwGear>> per_batch;
  bool has_hw = false;
  KeysSeen seen;
  for (const auto& kv : root) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : DescribeYaml(kv.first);
    std::string why = seen.Add(key, key, kv.first);
    if (why.empty()) {
      if (key == "batch_size") {
        why = IntList(kv.second, &batch);
      } else if (key == "height") {
        why = IntList(kv.second, &height);
      } else if (key == "width") {
        why = IntList(kv.second, &width);
      } else if (key == "hw") {
        why = HwList(kv.second, &hw);
        has_hw = true;
      } else if (key == "hw_per_batch") {
        if (!kv.second.IsMap()) why = "expected a mapping batch: [[h, w], ...]";
        for (const auto& entry : kv.second) {
          if (!why.empty()) break;
          int64_t b = 0;
          why = ReadYamlInteger(entry.first, 1, kMaxBatchGear, &b);
          if (why.empty()) why = HwList(entry.second, &per_batch[b]);
        }
      } else {
        why = "unknown key (expected batch_size, height, width, hw or hw_per_batch)";
      }
    }
    if (!why.empty()) return Status::Error(At(path, kv.first) + ": " + key + ": " + why);
  }
  const std::vector<int64_t> batches =
      shape.BatchDynamic() ? batch : std::vector<int64_t>{shape.dims[kN]};
  if (batches.empty()) return Status::Error(path + ": batch_size: required, N is dynamic");
  if (!has_hw) {
    // The grid of heights x widths; a fixed dim takes the model's value.
    if (height.empty() && shape.HeightDynamic())
      return Status::Error(path + ": height (or hw): required, H is dynamic");
    if (width.empty() && shape.WidthDynamic())
      return Status::Error(path + ": width (or hw): required, W is dynamic");
    if (height.empty()) height = {shape.dims[kH]};
    if (width.empty()) width = {shape.dims[kW]};
    for (int64_t h : height)
      for (int64_t w : width) hw.push_back({h, w});
  }
  for (int64_t b : batches) {
    auto own = per_batch.find(b);
    for (const auto& [h, w] : own != per_batch.end() ? own->second : hw) {
      Status s = AddShape({b, shape.dims[kC], h, w}, shape, path, shapes);
      if (!s.ok()) return s;
    }
  }
  return Status::Ok();
}

// "pixels, call overhead 15360 px" or "a cost table of 72 rows".
std::string Describe(const runtime::CostModel& cost) {
  if (cost.kind() == runtime::CostModel::Kind::kPixels) {
    std::ostringstream out;
    out << "pixels, call overhead " << cost.call_overhead() << " px";
    return out.str();
  }
  return "a cost table of " + std::to_string(cost.rows().size()) + " rows";
}

// A conversion's gears.json, through the runtime's own reader.
Status ReadGearsJson(const std::string& text, const std::string& path, const InputShape& shape,
                     int64_t limit_side_len, const runtime::CostModel& cost,
                     std::set<Shape3>* shapes) {
  auto file = runtime::ParseGearsJson(text, path);
  if (!file.ok()) return file.status();
  if (file->input_shape != shape.dims)
    return Status::Error(path + ": made for input shape " +
                         InputShape{file->input_shape}.ToString() + ", not " + shape.ToString());
  if (shape.HeightDynamic() && shape.WidthDynamic() && file->limit_side_len != limit_side_len)
    return Status::Error(
        path + ": made with limit_side_len " + std::to_string(file->limit_side_len) + ", not " +
        std::to_string(limit_side_len) +
        " (set it with --set limit_side_len=" + std::to_string(file->limit_side_len) + ")");
  if (file->cost.ToJson() != cost.ToJson())
    return Status::Error(path + ": made with the cost model " + Describe(file->cost) +
                         ", not the config's " + Describe(cost) +
                         " (its runtime routes with its own: give the same cost settings)");
  for (const runtime::BatchModel& m : file->gears.models)
    for (const runtime::Hw& g : m.hw) {
      Status s = AddShape({m.batch, shape.dims[kC], g.h, g.w}, shape, path, shapes);
      if (!s.ok()) return s;
    }
  return Status::Ok();
}

bool IsScalingData(const YAML::Node& root) {
  if (!root.IsMap() || root.size() == 0) return false;
  for (const auto& kv : root)
    if (!kv.first.IsScalar() || kv.first.Scalar().rfind("dyn_input", 0) != 0) return false;
  return true;
}

}  // namespace

Result<GearsFromFile> LoadGearsFile(const std::string& path, const InputShape& shape,
                                    int64_t limit_side_len, const runtime::CostModel& cost) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    return Status::Error(path + ":" + std::to_string(e.mark.line + 1) +
                         ": not valid YAML or JSON: " + e.msg);
  }
  Status bounded = CheckYamlBounds(root, path);
  if (!bounded.ok()) return bounded;
  GearsFromFile out;
  std::set<Shape3> shapes;
  Status s;
  if (root.IsMap() && root["models"]) {
    out.format = "gears.json";
    s = ReadGearsJson(*text, path, shape, limit_side_len, cost, &shapes);
  } else if (IsScalingData(root)) {
    out.format = "scaling_data.json";
    for (const auto& kv : root) {
      s = ReadShapeList(kv.second, shape, path, &shapes);
      if (!s.ok()) break;
    }
  } else if (root.IsSequence()) {
    out.format = "list";
    s = ReadShapeList(root, shape, path, &shapes);
  } else if (root.IsMap()) {
    out.format = "list";
    s = ReadGearMapping(root, shape, path, &shapes);
  } else {
    s = Status::Error(path + ": expected gears.json, scaling_data.json or a list of gears, got " +
                      DescribeYaml(root));
  }
  if (!s.ok()) return s;
  auto gears = GearSetOf(shapes, shape, path);
  if (!gears.ok()) return gears.status();
  out.gears = std::move(*gears);
  return out;
}

}  // namespace autoscale
