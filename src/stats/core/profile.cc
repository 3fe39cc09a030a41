#include "stats/core/profile.h"

#include <algorithm>

#include "common/atomic_file.h"
#include "common/json_text.h"
#include "stats/core/image_boxes.h"

namespace autoscale {

bool SkipCounts::operator==(const SkipCounts& o) const {
  return non_image == o.non_image && corrupt == o.corrupt &&
         degenerate_box == o.degenerate_box && bad_line == o.bad_line &&
         missing_file == o.missing_file;
}

void Profile::AddSample(const SampleKey& key, uint64_t n) {
  if (n == 0) return;
  samples_[key] += n;
  sample_count_ += n;
}

void Profile::AddBoxCount(int64_t box_count, uint64_t n) { batch_.Add(box_count, n); }

void Profile::AddImageBoxes(const std::vector<runtime::Item>& boxes, uint64_t n) {
  if (boxes.empty() || n == 0) return;
  image_boxes_[EncodeImageBoxes(boxes)] += n;
}

namespace {
bool ByWidthThenHeight(const runtime::Item& a, const runtime::Item& b) {
  return std::tie(a.w, a.h) < std::tie(b.w, b.h);
}
}  // namespace

std::vector<RoutingUnit> Profile::RoutingUnits() const {
  std::vector<RoutingUnit> units;
  if (!image_boxes_.empty()) {
    uint64_t boxes_in_keys = 0;
    for (const auto& [key, n] : image_boxes_) {
      auto boxes = DecodeImageBoxes(key);
      if (!boxes.ok()) continue;  // keys are checked on load
      boxes_in_keys += boxes->size() * n;
      units.push_back({std::move(*boxes), n});
    }
    // Keys for every sample, unless merged with a profile saved without them.
    if (boxes_in_keys == sample_count_) return units;
    units.clear();
  }
  if (HasBatchInfo()) {
    // Samples are sorted by box count: deal each count's boxes into images.
    auto it = samples_.begin();
    while (it != samples_.end()) {
      const int64_t k = std::max<int64_t>(it->first.batch, 1);
      std::vector<runtime::Item> boxes;
      for (; it != samples_.end() && std::max<int64_t>(it->first.batch, 1) == k; ++it)
        boxes.insert(boxes.end(), it->second, runtime::Item{it->first.h, it->first.w});
      std::stable_sort(boxes.begin(), boxes.end(), ByWidthThenHeight);
      for (size_t first = 0; first < boxes.size(); first += static_cast<size_t>(k)) {
        const size_t last = std::min(boxes.size(), first + static_cast<size_t>(k));
        units.push_back({{boxes.begin() + first, boxes.begin() + last}, 1});
      }
    }
    return units;
  }
  if (input_shape.BatchDynamic()) {
    RoutingUnit all{{}, 1};
    for (const auto& [k, n] : samples_) all.items.insert(all.items.end(), n, {k.h, k.w});
    std::stable_sort(all.items.begin(), all.items.end(), ByWidthThenHeight);
    if (!all.items.empty()) units.push_back(std::move(all));
    return units;
  }
  for (const auto& [k, n] : samples_) units.push_back({{{k.h, k.w}}, n});
  return units;
}

static void KeepFirstWarnings(std::vector<Warning>* w) {
  std::sort(w->begin(), w->end(), [](const Warning& a, const Warning& b) {
    return std::tie(a.order, a.where, a.message) < std::tie(b.order, b.where, b.message);
  });
  if (w->size() > DatasetInfo::kMaxWarnings) w->resize(DatasetInfo::kMaxWarnings);
}

void Profile::AddWarning(uint64_t order, std::string where, std::string message) {
  dataset.warnings_total++;
  auto& w = dataset.warnings;
  if (w.size() >= DatasetInfo::kMaxWarnings && !(order < w.back().order)) return;
  w.push_back({order, std::move(where), std::move(message)});
  KeepFirstWarnings(&w);
}

void Profile::Merge(const Profile& other) {
  for (const auto& [k, n] : other.samples_) AddSample(k, n);
  for (const auto& [key, n] : other.image_boxes_) image_boxes_[key] += n;
  batch_.Merge(other.batch_);
  dataset.images += other.dataset.images;
  dataset.boxes += other.dataset.boxes;
  auto& s = dataset.skipped;
  const auto& t = other.dataset.skipped;
  s.non_image += t.non_image;
  s.corrupt += t.corrupt;
  s.degenerate_box += t.degenerate_box;
  s.bad_line += t.bad_line;
  s.missing_file += t.missing_file;
  dataset.warnings_total += other.dataset.warnings_total;
  dataset.warnings.insert(dataset.warnings.end(), other.dataset.warnings.begin(),
                          other.dataset.warnings.end());
  KeepFirstWarnings(&dataset.warnings);
}

Histogram Profile::Heights(const BatchFilter& keep) const {
  Histogram h;
  for (const auto& [k, n] : samples_)
    if (!keep || keep(k.batch)) h.Add(k.h, n);
  return h;
}

Histogram Profile::Widths(const BatchFilter& keep) const {
  Histogram h;
  for (const auto& [k, n] : samples_)
    if (!keep || keep(k.batch)) h.Add(k.w, n);
  return h;
}

PairCounts Profile::Pairs(const BatchFilter& keep) const {
  PairCounts p;
  for (const auto& [k, n] : samples_)
    if (!keep || keep(k.batch)) p[{k.h, k.w}] += n;
  return p;
}

bool Profile::operator==(const Profile& o) const {
  return samples_ == o.samples_ && image_boxes_ == o.image_boxes_ && batch_ == o.batch_ &&
         input_shape == o.input_shape && limit_side_len == o.limit_side_len &&
         dataset.images == o.dataset.images && dataset.boxes == o.dataset.boxes &&
         dataset.skipped == o.dataset.skipped && dataset.warnings == o.dataset.warnings &&
         dataset.warnings_total == o.dataset.warnings_total;
}

nlohmann::json Profile::ToJson() const {
  nlohmann::json samples = nlohmann::json::array();
  for (const auto& [k, n] : samples_) samples.push_back({k.batch, k.h, k.w, n});
  nlohmann::json pairs_stats;
  {
    PairCounts pairs = Pairs();
    nlohmann::json values = nlohmann::json::array();
    for (const auto& [hw, n] : pairs) values.push_back({hw.first, hw.second, n});
    pairs_stats = {{"count", sample_count_}, {"distinct", pairs.size()}, {"values", values}};
  }
  nlohmann::json images = nlohmann::json::array();
  for (const auto& [key, n] : image_boxes_) images.push_back({ToHex(key), n});
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& w : dataset.warnings)
    warnings.push_back({{"order", w.order}, {"where", w.where}, {"message", w.message}});
  const auto& s = dataset.skipped;
  return {
      {"format", "autoscale-profile"},
      {"version", 1},
      {"input_shape", input_shape.ToString()},
      {"limit_side_len", limit_side_len},
      {"dataset",
       {{"type", dataset.type},
        {"path", dataset.path},
        {"images", dataset.images},
        {"boxes", dataset.boxes},
        {"skipped",
         {{"non_image", s.non_image},
          {"corrupt", s.corrupt},
          {"degenerate_box", s.degenerate_box},
          {"bad_line", s.bad_line},
          {"missing_file", s.missing_file}}},
        {"warnings", warnings},
        {"warnings_total", dataset.warnings_total}}},
      {"samples", sample_count_},
      {"batch", batch_.ToJson()},
      {"height", Heights().ToJson()},
      {"width", Widths().ToJson()},
      {"hw", pairs_stats},
      // The exact data the summaries above are derived from: [batch, h, w, count].
      {"joint", samples},
      // Each distinct annotated image: [hex of its EncodeImageBoxes key, count].
      {"image_boxes", images},
  };
}

Result<Profile> Profile::FromJson(const nlohmann::json& j, const std::string& where) {
  try {
    if (!j.is_object() || j.value("format", "") != "autoscale-profile")
      return Status::Error(where + ": not an autoscale profile (no \"format\": \"autoscale-profile\")");
    if (j.at("version").get<int>() != 1)
      return Status::Error(where + ": unsupported profile version " + JsonText(j.at("version")));
    Profile p;
    auto shape = ParseInputShape(j.at("input_shape").get<std::string>());
    if (!shape.ok()) return Status::Error(where + ": " + shape.message());
    p.input_shape = *shape;
    p.limit_side_len = j.at("limit_side_len").get<int64_t>();
    const auto& d = j.at("dataset");
    p.dataset.type = d.at("type").get<std::string>();
    p.dataset.path = d.at("path").get<std::string>();
    p.dataset.images = d.at("images").get<uint64_t>();
    p.dataset.boxes = d.at("boxes").get<uint64_t>();
    const auto& s = d.at("skipped");
    p.dataset.skipped.non_image = s.at("non_image").get<uint64_t>();
    p.dataset.skipped.corrupt = s.at("corrupt").get<uint64_t>();
    p.dataset.skipped.degenerate_box = s.at("degenerate_box").get<uint64_t>();
    p.dataset.skipped.bad_line = s.at("bad_line").get<uint64_t>();
    p.dataset.skipped.missing_file = s.at("missing_file").get<uint64_t>();
    for (const auto& w : d.at("warnings"))
      p.dataset.warnings.push_back({w.at("order").get<uint64_t>(), w.at("where").get<std::string>(),
                                    w.at("message").get<std::string>()});
    p.dataset.warnings_total = d.at("warnings_total").get<uint64_t>();
    for (const auto& v : j.at("batch").at("values")) {
      if (!v.is_array() || v.size() != 2 || v[1].get<int64_t>() <= 0 || v[0].get<int64_t>() < 0)
        return Status::Error(where + ": batch.values: expected [box_count, count] pairs");
      p.AddBoxCount(v[0].get<int64_t>(), v[1].get<uint64_t>());
    }
    for (const auto& v : j.at("joint")) {
      if (!v.is_array() || v.size() != 4)
        return Status::Error(where + ": joint: expected [batch, h, w, count] entries");
      SampleKey k{v[0].get<int64_t>(), v[1].get<int64_t>(), v[2].get<int64_t>()};
      int64_t n = v[3].get<int64_t>();
      if (k.batch < 0 || k.h < 1 || k.w < 1 || n < 1)
        return Status::Error(where + ": joint: entry " + JsonText(v) + " is out of range");
      p.AddSample(k, static_cast<uint64_t>(n));
    }
    // Absent from profiles saved before it existed: RoutingUnits then deals
    // the samples into images.
    if (j.contains("image_boxes")) {
      for (const auto& v : j.at("image_boxes")) {
        if (!v.is_array() || v.size() != 2 || !v[0].is_string() || v[1].get<int64_t>() < 1)
          return Status::Error(where + ": image_boxes: expected [hex, count] entries");
        auto key = FromHex(v[0].get<std::string>());
        if (!key.ok()) return Status::Error(where + ": image_boxes: " + key.message());
        auto boxes = DecodeImageBoxes(*key);
        if (!boxes.ok() || boxes->empty())
          return Status::Error(where + ": image_boxes: entry " + JsonText(v) + ": " +
                               (boxes.ok() ? std::string("no box") : boxes.message()));
        p.image_boxes_[*key] += v[1].get<uint64_t>();
      }
    }
    return p;
  } catch (const nlohmann::json::exception& e) {
    return Status::Error(where + ": malformed profile: " + e.what());
  }
}

Status Profile::SaveFile(const std::string& path) const {
  return WriteFileAtomic(path, JsonText(ToJson(), 1) + "\n");
}

Result<Profile> Profile::LoadFile(const std::string& path) {
  auto text = ReadFile(path);
  if (!text.ok()) return text.status();
  nlohmann::json j = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::Error(path + ": not valid JSON");
  return FromJson(j, path);
}

}  // namespace autoscale
