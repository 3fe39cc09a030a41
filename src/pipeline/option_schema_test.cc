#include "pipeline/option_schema.h"

#include <catch2/catch.hpp>

namespace autoscale {
namespace {

struct Target {
  double ratio = 0;
  int64_t count = 0;
  int threads = 0;
  std::string mode;
  bool flag = false;
  std::vector<int64_t> sizes;
  int64_t min = 0, max = 0;
};

using Schema = OptionSchema<Target>;

const std::vector<Schema::Option>& Options() {
  static const std::vector<Schema::Option> options = {
      {"ratio", nullptr, Schema::Number(Schema::Member(&Target::ratio), 0, 1, "from 0 to 1")},
      {"count", nullptr, Schema::Integer(Schema::Member(&Target::count), 1, 10)},
      {"threads", "workers", Schema::Integer(Schema::Member(&Target::threads), 0, 4)},
      {"mode", nullptr, Schema::Choice(Schema::Member(&Target::mode), {"fast", "exact"})},
      {"flag", nullptr, Schema::Bool(Schema::Member(&Target::flag))},
      {"sizes", nullptr, Schema::IntList(Schema::Member(&Target::sizes), 1, 100)},
      {"range", nullptr, Schema::Range(Schema::Member(&Target::min), Schema::Member(&Target::max))},
  };
  return options;
}

std::string Set(const std::string& name, const std::string& yaml, Target* t) {
  const Schema::Option* option = Schema::Find(Options(), name);
  REQUIRE(option != nullptr);
  return option->set(YAML::Load(yaml), t);
}

TEST_CASE("typed options set their field or say why not, in one set of words", "[options]") {
  Target t;
  CHECK(Set("ratio", "0.5", &t).empty());
  CHECK(t.ratio == 0.5);
  CHECK(Set("ratio", "2", &t) == "must be from 0 to 1, got 2");
  CHECK(Set("ratio", "[1]", &t) == "expected a number, got a list");
  CHECK(Set("count", "7", &t).empty());
  CHECK(t.count == 7);
  CHECK(Set("count", "x", &t) == "expected an integer, got 'x'");
  CHECK(Set("count", "11", &t) == "must be from 1 to 10, got 11");
  CHECK(Set("threads", "3", &t).empty());
  CHECK(t.threads == 3);
  CHECK(Set("threads", "5", &t) == "must be from 0 to 4, got 5");
  CHECK(Set("mode", "exact", &t).empty());
  CHECK(t.mode == "exact");
  CHECK(Set("mode", "slow", &t) == "expected one of fast, exact, got 'slow'");
  CHECK(Set("mode", "{a: 1}", &t) == "expected one of fast, exact, got a mapping");
  CHECK(Set("flag", "true", &t).empty());
  CHECK(t.flag);
  CHECK(Set("flag", "maybe", &t) == "expected true or false, got 'maybe'");
  CHECK(Set("sizes", "[8, 1, 8]", &t).empty());
  CHECK(t.sizes == std::vector<int64_t>{1, 8});
  CHECK(Set("sizes", "[]", &t) == "must not be empty");
  CHECK(Set("sizes", "[0]", &t) == "values must be from 1 to 100, got 0");
  CHECK(Set("range", "[2, 9]", &t).empty());
  CHECK((t.min == 2 && t.max == 9));
  CHECK(Set("range", "[9, 2]", &t) == "must satisfy 1 <= min <= max <= 65536, got [9, 2]");
  // A refused value leaves the field as it was.
  CHECK(t.count == 7);
  CHECK(t.mode == "exact");
}

TEST_CASE("options are found by name or alias", "[options]") {
  CHECK(Schema::Find(Options(), "threads") == Schema::Find(Options(), "workers"));
  CHECK(Schema::Find(Options(), "colour") == nullptr);
  std::string text;
  CHECK(ReadYamlText(YAML::Load("''"), "a path", &text) == "expected a path, got ''");
  CHECK(DescribeYaml(YAML::Node()) == "nothing");
}

}  // namespace
}  // namespace autoscale
