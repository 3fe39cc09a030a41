#include "runtime/gear_table.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

namespace autoscale {
namespace runtime {

namespace {

Status KeyError(const std::string& path, const std::string& key, const std::string& what) {
  return Status::Error(path + ": '" + key + "' " + what);
}

// "1,3,48,-1" or [1, 3, 48, -1]: four integers, each -1 or positive.
Result<InputDims> ParseDims(const nlohmann::json& j, const std::string& path,
                            const std::string& key) {
  std::vector<int64_t> dims;
  if (j.is_string()) {
    std::istringstream in(j.get<std::string>());
    std::string cell;
    while (std::getline(in, cell, ',')) {
      try {
        size_t used = 0;
        dims.push_back(std::stoll(cell, &used));
        if (cell.find_first_not_of(' ', used) != std::string::npos) dims.push_back(0);
      } catch (const std::exception&) {
        dims.push_back(0);
      }
    }
  } else if (j.is_array()) {
    for (const auto& d : j) dims.push_back(d.is_number_integer() ? d.get<int64_t>() : 0);
  }
  const bool ok = dims.size() == 4 &&
                  std::all_of(dims.begin(), dims.end(), [](int64_t d) { return d == -1 || d > 0; });
  if (!ok) return KeyError(path, key, "must be N,C,H,W: four integers, each -1 or positive");
  return InputDims{dims[0], dims[1], dims[2], dims[3]};
}

}  // namespace

Result<GearsFile> ParseGearsJson(const std::string& text, const std::string& path) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Error(path + ": not valid JSON");
  if (!j.is_object()) return Status::Error(path + ": must be a JSON object");
  GearsFile out;
  if (!j.contains("input_shape")) return KeyError(path, "input_shape", "is missing");
  auto dims = ParseDims(j["input_shape"], path, "input_shape");
  if (!dims.ok()) return dims.status();
  out.input_shape = *dims;
  if (j.contains("limit_side_len")) {
    const auto& l = j["limit_side_len"];
    if (!l.is_number_integer() || l.get<int64_t>() < 0)
      return KeyError(path, "limit_side_len", "must be an integer >= 0");
    out.limit_side_len = l.get<int64_t>();
  }
  if (j.contains("cost")) {
    auto cost = CostModel::FromJson(j["cost"], path + ": cost");
    if (!cost.ok()) return cost.status();
    out.cost = std::move(*cost);
  }
  if (!j.contains("models") || !j["models"].is_array() || j["models"].empty())
    return KeyError(path, "models", "must be a non-empty list of converted models");
  // batch -> (h, w) -> file; the first file listing a gear serves it.
  std::map<int64_t, std::map<std::pair<int64_t, int64_t>, std::string>> by_batch;
  for (size_t i = 0; i < j["models"].size(); ++i) {
    const nlohmann::json& m = j["models"][i];
    const std::string key = "models[" + std::to_string(i) + "]";
    if (!m.is_object()) return KeyError(path, key, "must be an object");
    std::string file;
    if (m.contains("file")) {
      if (!m["file"].is_string()) return KeyError(path, key + ".file", "must be a string");
      file = m["file"].get<std::string>();
    }
    if (!m.contains("gears") || !m["gears"].is_array() || m["gears"].empty())
      return KeyError(path, key + ".gears", "must be a non-empty list of [n, c, h, w]");
    for (size_t g = 0; g < m["gears"].size(); ++g) {
      const std::string gkey = key + ".gears[" + std::to_string(g) + "]";
      auto gear = ParseDims(m["gears"][g], path, gkey);
      if (!gear.ok()) return gear.status();
      const InputDims& d = *gear;
      if (d[0] < 1 || d[2] < 1 || d[3] < 1)
        return KeyError(path, gkey, "must be a full shape [n, c, h, w] with no -1");
      by_batch[d[0]].emplace(std::make_pair(d[2], d[3]), file);
    }
  }
  for (const auto& [batch, gears] : by_batch) {
    BatchModel bm;
    bm.batch = batch;
    for (const auto& [hw, file] : gears) {
      bm.hw.push_back({hw.first, hw.second});
      bm.file.push_back(file);
    }
    out.gears.models.push_back(std::move(bm));
  }
  return out;
}

Result<GearsFile> LoadGearsJson(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Error(path + ": cannot read the file");
  std::ostringstream text;
  text << f.rdbuf();
  return ParseGearsJson(text.str(), path);
}

}  // namespace runtime
}  // namespace autoscale
