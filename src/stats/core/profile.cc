#include "stats/core/profile.h"

#include <algorithm>

#include "common/atomic_file.h"
#include "common/json_text.h"
#include "stats/core/image_boxes.h"

namespace autoscale {

bool SkipCounts::operator==(const SkipCounts& o) const {
  return non_image == o.non_image && corrupt == o.corrupt && degenerate_box == o.degenerate_box &&
         bad_line == o.bad_line && missing_file == o.missing_file && broken_link == o.broken_link &&
         link_loop == o.link_loop && path_too_long == o.path_too_long;
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
  s.broken_link += t.broken_link;
  s.link_loop += t.link_loop;
  s.path_too_long += t.path_too_long;
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
          {"missing_file", s.missing_file},
          {"broken_link", s.broken_link},
          {"link_loop", s.link_loop},
          {"path_too_long", s.path_too_long}}},
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

namespace {

// A profile key that does not hold what it must; FromJson turns it into one
// error line.
struct BadKey {
  std::string message;
};

[[noreturn]] void Refuse(const std::string& key, const std::string& why) {
  throw BadKey{"key '" + key + "': " + why};
}

const nlohmann::json& Member(const nlohmann::json& j, const std::string& key,
                             const std::string& name) {
  if (!j.is_object() || !j.contains(name)) Refuse(key, "missing");
  return j.at(name);
}

// A whole number in [lo, hi]: a fraction, a string or a number out of range
// is refused, naming `key`.
int64_t Whole(const nlohmann::json& v, const std::string& key, int64_t lo, int64_t hi) {
  if (v.is_number_float()) Refuse(key, JsonText(v) + " is not a whole number");
  if (!v.is_number_integer()) Refuse(key, JsonText(v) + " is not a number");
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(hi))
    Refuse(key, JsonText(v) + " is above " + std::to_string(hi));
  const int64_t n = v.get<int64_t>();
  if (n < lo) Refuse(key, JsonText(v) + " is below " + std::to_string(lo));
  if (n > hi) Refuse(key, JsonText(v) + " is above " + std::to_string(hi));
  return n;
}

uint64_t Count(const nlohmann::json& v, const std::string& key, int64_t lo = 0) {
  return static_cast<uint64_t>(Whole(v, key, lo, Profile::kMaxCount));
}

std::string Text(const nlohmann::json& v, const std::string& key) {
  if (!v.is_string()) Refuse(key, JsonText(v) + " is not a string");
  return v.get<std::string>();
}

const nlohmann::json& List(const nlohmann::json& v, const std::string& key) {
  if (!v.is_array()) Refuse(key, "not a list");
  return v;
}

std::string At(const std::string& key, size_t i) { return key + "[" + std::to_string(i) + "]"; }

// The figures a profile states twice must agree: every count the readers
// derive from the samples, as Merge and the readers keep them.
void CheckAgreement(const Profile& p, const nlohmann::json& j) {
  const uint64_t samples = p.SampleCount();
  const uint64_t stated = Count(Member(j, "samples", "samples"), "samples");
  if (stated != samples)
    Refuse("samples", std::to_string(stated) + ", but joint counts " + std::to_string(samples));
  for (const char* dim : {"height", "width", "hw"}) {
    if (!j.contains(dim) || !j.at(dim).is_object() || !j.at(dim).contains("count")) continue;
    const std::string key = std::string(dim) + ".count";
    const uint64_t n = Count(j.at(dim).at("count"), key);
    if (n != samples)
      Refuse(key, std::to_string(n) + ", but joint counts " + std::to_string(samples));
  }
  // Annotated images: k boxes each, every box a sample of batch k.
  std::map<int64_t, uint64_t> per_batch;
  for (const auto& [k, n] : p.samples()) per_batch[k.batch] += n;
  if (p.HasBatchInfo()) {
    if (p.dataset.boxes != samples)
      Refuse("dataset.boxes",
             std::to_string(p.dataset.boxes) + ", but joint counts " + std::to_string(samples));
    for (const auto& [k, images] : p.batch().counts()) {
      const uint64_t boxes = per_batch.count(k) ? per_batch.at(k) : 0;
      if (k < 1 || boxes / static_cast<uint64_t>(k) != images || boxes % static_cast<uint64_t>(k))
        Refuse("batch.values", std::to_string(images) + " images of " + std::to_string(k) +
                                   " boxes, but joint has " + std::to_string(boxes) +
                                   " samples of that box count");
      per_batch.erase(k);
    }
    if (!per_batch.empty())
      Refuse("joint", "samples of box count " + std::to_string(per_batch.begin()->first) +
                          " that batch.values does not list");
  } else {
    if (per_batch.size() > 1 || (per_batch.size() == 1 && per_batch.begin()->first != 0))
      Refuse("joint", "samples with a box count, but batch.values is empty");
    if (p.dataset.type == "images" && p.dataset.images != samples)
      Refuse("dataset.images", std::to_string(p.dataset.images) + ", but joint counts " +
                                   std::to_string(samples) + " images");
  }
  if (p.dataset.warnings_total < p.dataset.warnings.size())
    Refuse("dataset.warnings_total", std::to_string(p.dataset.warnings_total) + ", but " +
                                         std::to_string(p.dataset.warnings.size()) +
                                         " warnings are listed");
}

}  // namespace

Result<Profile> Profile::FromJson(const nlohmann::json& j, const std::string& where) {
  try {
    if (!j.is_object() || j.value("format", "") != "autoscale-profile")
      return Status::Error(where +
                           ": not an autoscale profile (no \"format\": \"autoscale-profile\")");
    if (!j.contains("version") || j.at("version") != 1)
      return Status::Error(where + ": unsupported profile version " +
                           (j.contains("version") ? JsonText(j.at("version")) : "(none)"));
    Profile p;
    auto shape = ParseInputShape(Text(Member(j, "input_shape", "input_shape"), "input_shape"));
    if (!shape.ok()) Refuse("input_shape", shape.message());
    p.input_shape = *shape;
    p.limit_side_len =
        Whole(Member(j, "limit_side_len", "limit_side_len"), "limit_side_len", 0, kMaxSide);
    const auto& d = Member(j, "dataset", "dataset");
    p.dataset.type = Text(Member(d, "dataset.type", "type"), "dataset.type");
    p.dataset.path = Text(Member(d, "dataset.path", "path"), "dataset.path");
    p.dataset.images = Count(Member(d, "dataset.images", "images"), "dataset.images");
    p.dataset.boxes = Count(Member(d, "dataset.boxes", "boxes"), "dataset.boxes");
    const auto& s = Member(d, "dataset.skipped", "skipped");
    SkipCounts& skipped = p.dataset.skipped;
    const std::pair<const char*, uint64_t*> kinds[] = {
        {"non_image", &skipped.non_image},           {"corrupt", &skipped.corrupt},
        {"degenerate_box", &skipped.degenerate_box}, {"bad_line", &skipped.bad_line},
        {"missing_file", &skipped.missing_file},     {"broken_link", &skipped.broken_link},
        {"link_loop", &skipped.link_loop},           {"path_too_long", &skipped.path_too_long}};
    for (const auto& [name, count] : kinds) {
      const std::string key = std::string("dataset.skipped.") + name;
      // Kinds counted later than the first profiles may be absent.
      const bool optional = count == &skipped.broken_link || count == &skipped.link_loop ||
                            count == &skipped.path_too_long;
      if (optional && !(s.is_object() && s.contains(name))) continue;
      *count = Count(Member(s, key, name), key);
    }
    const auto& warnings = List(Member(d, "dataset.warnings", "warnings"), "dataset.warnings");
    for (size_t i = 0; i < warnings.size(); ++i) {
      const std::string key = At("dataset.warnings", i);
      const auto& w = warnings[i];
      p.dataset.warnings.push_back(
          {Count(Member(w, key + ".order", "order"), key + ".order"),
           Text(Member(w, key + ".where", "where"), key + ".where"),
           Text(Member(w, key + ".message", "message"), key + ".message")});
    }
    p.dataset.warnings_total =
        Count(Member(d, "dataset.warnings_total", "warnings_total"), "dataset.warnings_total");
    const auto& batch =
        List(Member(Member(j, "batch", "batch"), "batch.values", "values"), "batch.values");
    for (size_t i = 0; i < batch.size(); ++i) {
      const std::string key = At("batch.values", i);
      const auto& v = batch[i];
      if (!v.is_array() || v.size() != 2) Refuse(key, "expected [box_count, count]");
      p.AddBoxCount(Whole(v[0], key + "[0]", 0, kMaxSide), Count(v[1], key + "[1]", 1));
    }
    const auto& joint = List(Member(j, "joint", "joint"), "joint");
    for (size_t i = 0; i < joint.size(); ++i) {
      const std::string key = At("joint", i);
      const auto& v = joint[i];
      if (!v.is_array() || v.size() != 4) Refuse(key, "expected [batch, h, w, count]");
      SampleKey k{Whole(v[0], key + "[0]", 0, kMaxSide), Whole(v[1], key + "[1]", 1, kMaxSide),
                  Whole(v[2], key + "[2]", 1, kMaxSide)};
      const uint64_t n = Count(v[3], key + "[3]", 1);
      if (p.sample_count_ + n > static_cast<uint64_t>(kMaxCount))
        Refuse("joint", "more than " + std::to_string(kMaxCount) + " samples");
      p.AddSample(k, n);
    }
    // Absent from profiles saved before it existed: RoutingUnits then deals
    // the samples into images.
    if (j.contains("image_boxes")) {
      const auto& images = List(j.at("image_boxes"), "image_boxes");
      std::map<int64_t, uint64_t> images_per_count;
      for (size_t i = 0; i < images.size(); ++i) {
        const std::string key = At("image_boxes", i);
        const auto& v = images[i];
        if (!v.is_array() || v.size() != 2 || !v[0].is_string())
          Refuse(key, "expected [hex, count]");
        const uint64_t n = Count(v[1], key + "[1]", 1);
        auto bytes = FromHex(v[0].get<std::string>());
        if (!bytes.ok()) Refuse(key, bytes.message());
        auto boxes = DecodeImageBoxes(*bytes);
        if (!boxes.ok() || boxes->empty())
          Refuse(key, boxes.ok() ? std::string("no box") : boxes.message());
        images_per_count[static_cast<int64_t>(boxes->size())] += n;
        p.image_boxes_[*bytes] += n;
      }
      for (const auto& [k, n] : images_per_count) {
        const auto& counts = p.batch().counts();
        const uint64_t listed = counts.count(k) ? counts.at(k) : 0;
        if (n > listed)
          Refuse("image_boxes", std::to_string(n) + " images of " + std::to_string(k) +
                                    " boxes, but batch.values counts " + std::to_string(listed));
      }
    }
    CheckAgreement(p, j);
    return p;
  } catch (const BadKey& e) {
    return Status::Error(where + ": " + e.message);
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
