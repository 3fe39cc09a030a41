#include "stats/core/profile.h"

#include <catch2/catch.hpp>
#include <functional>
#include <random>

#include "stats/core/model_space.h"
#include "support/run_binary.h"

using namespace autoscale;

namespace {
Profile RandomProfile(std::mt19937* rng, int images, const ModelSpace& m, uint64_t first_line) {
  Profile p = m.NewProfile();
  std::uniform_int_distribution<int> boxes(0, 9);
  std::uniform_real_distribution<double> side(5, 400);
  for (int i = 0; i < images; ++i) {
    std::vector<BoxSize> b;
    for (int k = boxes(*rng); k > 0; --k) b.push_back({side(*rng), side(*rng)});
    m.AddImageBoxes(&p, b);
    if (i % 7 == 0) {
      p.dataset.skipped.bad_line++;
      p.AddWarning(first_line + i, "f:" + std::to_string(first_line + i), "bad");
    }
  }
  return p;
}
}  // namespace

TEST_CASE("two shards merged equal the profile of the whole", "[profile]") {
  ModelSpace m(*ParseInputShape("-1,3,48,-1"), 1280);
  std::mt19937 a(1), b(1);
  Profile whole = m.NewProfile();
  Profile first = RandomProfile(&a, 300, m, 0);
  Profile second = RandomProfile(&a, 200, m, 300);
  // The whole, built in one pass with the same random stream.
  whole = RandomProfile(&b, 300, m, 0);
  whole.Merge(RandomProfile(&b, 200, m, 300));
  Profile merged = first;
  merged.Merge(second);
  CHECK(merged == whole);
  // Merge order does not matter, and warnings keep dataset order.
  Profile reversed = second;
  reversed.Merge(first);
  CHECK(reversed == merged);
  REQUIRE(merged.dataset.warnings.size() == DatasetInfo::kMaxWarnings);
  CHECK(merged.dataset.warnings.front().where == "f:0");
  CHECK(merged.dataset.warnings_total == 72);
}

TEST_CASE("a profile round-trips through JSON", "[profile]") {
  ModelSpace m(*ParseInputShape("-1,3,48,-1"), 960);
  std::mt19937 rng(7);
  Profile p = RandomProfile(&rng, 100, m, 0);
  p.dataset.type = "det_labels";
  p.dataset.path = "x/label.txt";
  p.dataset.skipped.degenerate_box = 3;
  test::TempDir dir;
  REQUIRE(p.SaveFile(dir / "p.json").ok());
  auto back = Profile::LoadFile(dir / "p.json");
  REQUIRE(back.ok());
  CHECK(*back == p);
  CHECK(back->limit_side_len == 960);
}

TEST_CASE("the profile JSON carries per-dim statistics", "[profile]") {
  Profile p;
  p.AddSample({2, 48, 100}, 3);
  p.AddSample({1, 48, 200}, 1);
  p.AddBoxCount(2);
  auto j = p.ToJson();
  CHECK(j["width"]["count"] == 4);
  CHECK(j["width"]["min"] == 100);
  CHECK(j["width"]["max"] == 200);
  CHECK(j["width"]["sum"].get<double>() == 500);
  CHECK(j["width"]["sum_sq"].get<double>() == 70000);
  CHECK(j["width"]["mean"].get<double>() == 125);
  CHECK(j["hw"]["distinct"] == 2);
}

TEST_CASE("loading a bad profile names the file", "[profile]") {
  test::TempDir dir;
  auto r = Profile::LoadFile(test::WriteTextFile(dir / "bad.json", "{\"format\": 1"));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("bad.json: not valid JSON"));
  r = Profile::LoadFile(test::WriteTextFile(dir / "other.json", "{\"a\": 1}"));
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("not an autoscale profile"));
  Profile p;
  p.AddSample({0, 10, 10});
  auto j = p.ToJson();
  j["joint"][0][1] = -5;
  r = Profile::FromJson(j, "neg.json");
  REQUIRE_FALSE(r.ok());
  CHECK(r.message() == "neg.json: key 'joint[0][1]': -5 is below 1");
  r = Profile::LoadFile(dir / "none.json");
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.message(), Catch::Contains("none.json: cannot read"));
}

// A det label profile of three images (2, 2 and 1 boxes) as JSON.
nlohmann::json AnnotatedProfileJson() {
  ModelSpace m(*ParseInputShape("-1,3,48,-1"), 1280);
  Profile p = m.NewProfile();
  p.dataset.type = "det_labels";
  m.AddImageBoxes(&p, {{48, 300}, {24, 50}});
  m.AddImageBoxes(&p, {{48, 300}, {24, 60}});
  m.AddImageBoxes(&p, {{10, 1000}});
  return p.ToJson();
}

TEST_CASE("a tampered profile is refused with one line naming the key", "[profile]") {
  const nlohmann::json good = AnnotatedProfileJson();
  REQUIRE(Profile::FromJson(good, "p.json").ok());
  struct Case {
    const char* what;
    std::function<void(nlohmann::json&)> tamper;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"fractional dim", [](nlohmann::json& j) { j["joint"][0][2] = 100.5; },
       "p.json: key 'joint[0][2]': 100.5 is not a whole number"},
      {"huge dim", [](nlohmann::json& j) { j["joint"][0][2] = 1e300; },
       "p.json: key 'joint[0][2]': 1e+300 is not a whole number"},
      {"dim above the limit", [](nlohmann::json& j) { j["joint"][0][2] = uint64_t{1} << 40; },
       "p.json: key 'joint[0][2]': 1099511627776 is above 2147483647"},
      {"negative count", [](nlohmann::json& j) { j["dataset"]["boxes"] = -3; },
       "p.json: key 'dataset.boxes': -3 is below 0"},
      {"count as text", [](nlohmann::json& j) { j["dataset"]["skipped"]["corrupt"] = "2"; },
       "p.json: key 'dataset.skipped.corrupt': \"2\" is not a number"},
      {"huge count", [](nlohmann::json& j) { j["joint"][0][3] = uint64_t{1} << 62; },
       "p.json: key 'joint[0][3]': 4611686018427387904 is above 1099511627776"},
      {"samples disagree", [](nlohmann::json& j) { j["samples"] = 6; },
       "p.json: key 'samples': 6, but joint counts 5"},
      {"width count disagrees", [](nlohmann::json& j) { j["width"]["count"] = 4; },
       "p.json: key 'width.count': 4, but joint counts 5"},
      {"boxes disagree", [](nlohmann::json& j) { j["dataset"]["boxes"] = 7; },
       "p.json: key 'dataset.boxes': 7, but joint counts 5"},
      {"a joint count changed",
       [](nlohmann::json& j) {
         j["joint"][0][3] = j["joint"][0][3].get<int>() + 1;
         j["samples"] = 6;
         j["dataset"]["boxes"] = 6;
         for (const char* d : {"height", "width", "hw"}) j[d]["count"] = 6;
       },
       "p.json: key 'batch.values': "},
      {"batch counts disagree", [](nlohmann::json& j) { j["batch"]["values"][0][1] = 5; },
       "p.json: key 'batch.values': 5 images of 1 boxes, but joint has 1 samples"},
      {"missing key", [](nlohmann::json& j) { j.erase("joint"); }, "p.json: key 'joint': missing"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    nlohmann::json j = good;
    c.tamper(j);
    auto r = Profile::FromJson(j, "p.json");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.message(), Catch::StartsWith(c.message));
    CHECK(r.message().find('\n') == std::string::npos);
  }
}

namespace {
std::string UnitText(const RoutingUnit& u) {
  std::string s = std::to_string(u.count) + ":";
  for (const auto& i : u.items) s += " " + std::to_string(i.h) + "x" + std::to_string(i.w);
  return s;
}
std::vector<std::string> UnitsText(const Profile& p) {
  std::vector<std::string> out;
  for (const RoutingUnit& u : p.RoutingUnits()) out.push_back(UnitText(u));
  return out;
}
}  // namespace

TEST_CASE("annotated images are routing units, identical images counted once", "[profile]") {
  ModelSpace m(*ParseInputShape("-1,3,48,-1"), 1280);
  Profile p = m.NewProfile();
  m.AddImageBoxes(&p, {{48, 300}, {24, 50}});  // 48x300, 48x100
  m.AddImageBoxes(&p, {{24, 50}, {48, 300}});  // the same image
  m.AddImageBoxes(&p, {{48, 30}});
  m.AddImageBoxes(&p, {});  // no box: nothing to route
  CHECK(p.image_boxes().size() == 2);
  CHECK(UnitsText(p) == std::vector<std::string>{"1: 48x30", "2: 48x100 48x300"});
  // The samples keep counting every box.
  CHECK(p.SampleCount() == 5);
}

TEST_CASE("image boxes merge and round-trip through JSON", "[profile]") {
  ModelSpace m(*ParseInputShape("-1,3,48,-1"), 1280);
  Profile a = m.NewProfile(), b = m.NewProfile(), whole = m.NewProfile();
  for (Profile* p : {&a, &whole}) m.AddImageBoxes(p, {{48, 300}, {24, 50}});
  for (Profile* p : {&b, &whole}) m.AddImageBoxes(p, {{48, 300}, {24, 50}});
  for (Profile* p : {&b, &whole}) m.AddImageBoxes(p, {{10, 1000}});
  Profile merged = a;
  merged.Merge(b);
  CHECK(merged == whole);
  CHECK(merged.image_boxes().size() == 2);
  Profile other = m.NewProfile();
  m.AddImageBoxes(&other, {{48, 300}, {24, 51}});  // same samples count, other image
  CHECK_FALSE(other == a);

  nlohmann::json j = whole.ToJson();
  REQUIRE(j.contains("image_boxes"));
  auto back = Profile::FromJson(j, "p.json");
  REQUIRE(back.ok());
  CHECK(*back == whole);
  j["image_boxes"][0][0] = "0";
  back = Profile::FromJson(j, "p.json");
  REQUIRE_FALSE(back.ok());
  CHECK_THAT(back.message(),
             Catch::Contains("p.json: key 'image_boxes[0]': odd number of hex digits"));
}

TEST_CASE("a profile without image boxes deals samples into images", "[profile]") {
  ModelSpace m(*ParseInputShape("-1,3,48,-1"), 1280);
  Profile p = m.NewProfile();
  m.AddImageBoxes(&p, {{48, 300}, {48, 20}, {48, 100}});
  m.AddImageBoxes(&p, {{48, 10}, {48, 200}, {48, 30}});
  m.AddImageBoxes(&p, {{48, 40}});
  nlohmann::json j = p.ToJson();
  j.erase("image_boxes");  // as saved before the key existed
  auto old = Profile::FromJson(j, "old.json");
  REQUIRE(old.ok());
  CHECK(old->image_boxes().empty());
  CHECK(UnitsText(*old) ==
        std::vector<std::string>{"1: 48x40", "1: 48x10 48x20 48x30", "1: 48x100 48x200 48x300"});
  // Merged with a profile that has them, the keys miss the old samples: the
  // whole is dealt the same way.
  Profile merged = *old;
  Profile fresh = m.NewProfile();
  m.AddImageBoxes(&fresh, {{48, 50}});
  merged.Merge(fresh);
  CHECK(merged.image_boxes().size() == 1);
  CHECK(UnitsText(merged) == std::vector<std::string>{"1: 48x40", "1: 48x50",
                                                      "1: 48x10 48x20 48x30",
                                                      "1: 48x100 48x200 48x300"});
}

TEST_CASE("image folders route as one unit with dynamic N, per sample with fixed N", "[profile]") {
  for (const char* shape : {"-1,3,-1,-1", "1,3,-1,-1"}) {
    ModelSpace m(*ParseInputShape(shape), 1280);
    Profile p = m.NewProfile();
    m.AddImage(&p, 100, 200);
    m.AddImage(&p, 50, 60);
    m.AddImage(&p, 100, 200);
    if (std::string(shape)[0] == '-')
      CHECK(UnitsText(p) == std::vector<std::string>{"1: 50x60 100x200 100x200"});
    else
      CHECK(UnitsText(p) == std::vector<std::string>{"1: 50x60", "2: 100x200"});
  }
}
