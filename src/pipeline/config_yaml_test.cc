#include "pipeline/config_yaml.h"

#include <algorithm>
#include <catch2/catch.hpp>

#include "support/run_binary.h"

using namespace autoscale;

TEST_CASE("the shipped config file loads and matches the built-in defaults", "[config]") {
  ScalingConfig from_file;
  Status s = LoadConfigFile(test::SourcePath("configs/auto_scaling.yaml"), &from_file);
  REQUIRE(s.ok());
  ScalingConfig built_in;
  CHECK(from_file.strategy == built_in.strategy);
  CHECK(from_file.n_std == 3);
  CHECK(from_file.expand_ratio == Approx(0.2));
  CHECK(from_file.limit_side_len == 1280);
  CHECK(from_file.width_min == 1);
  CHECK(from_file.width_max == 8192);
  CHECK(from_file.height_max == 8192);
  CHECK(from_file.interval == 32);
  CHECK(from_file.max_scaling_num == 100);
  CHECK(from_file.batch_choices == std::vector<int64_t>{1, 4, 8, 16, 32, 64});
  CHECK(from_file.default_scaling.batch_size == built_in.default_scaling.batch_size);
  CHECK(from_file.default_scaling.height == built_in.default_scaling.height);
  CHECK(from_file.default_scaling.width == built_in.default_scaling.width);
  CHECK(from_file.default_scaling.width.front() == 64);
  CHECK(from_file.default_scaling.width.back() == 960);
  CHECK(from_file.cost_call_overhead == built_in.cost_call_overhead);
  CHECK(from_file.cost_table.empty());
}

TEST_CASE("overrides set dotted keys with YAML values", "[config]") {
  ScalingConfig c;
  REQUIRE(ApplyConfigOverride("mean_std.n_std=2", &c).ok());
  CHECK(c.n_std == 2);
  REQUIRE(ApplyConfigOverride("width_range=[32, 2048]", &c).ok());
  CHECK(c.width_min == 32);
  CHECK(c.width_max == 2048);
  REQUIRE(ApplyConfigOverride("strategy=max_min", &c).ok());
  CHECK(c.strategy == "max_min");
  REQUIRE(ApplyConfigOverride("batch_choices=[8,1,4,4]", &c).ok());
  CHECK(c.batch_choices == std::vector<int64_t>{1, 4, 8});
  REQUIRE(ApplyConfigOverride("auto_scaling.interval=16", &c).ok());
  CHECK(c.interval == 16);
  REQUIRE(ApplyConfigOverride("onnx.static_per_gear=true", &c).ok());
  CHECK(c.onnx_static_per_gear);
}

TEST_CASE("bad config values name the key", "[config]") {
  struct Case {
    const char* set;
    const char* msg;
  };
  const Case cases[] = {
      {"mean_std.nstd=2", "key 'mean_std.nstd': unknown key"},
      {"strategy=best", "expected one of mean_std, max_min, optimal"},
      {"interval=abc", "key 'interval': expected an integer"},
      {"interval=0", "key 'interval': must be from 1"},
      {"max_scaling_num=101", "key 'max_scaling_num': must be from 1 to 100"},
      {"width_range=[10]", "key 'width_range': expected a list of two integers"},
      {"width_range=[100,10]", "key 'width_range': must satisfy"},
      {"batch_choices=[0,4]", "key 'batch_choices': values must be from 1 to 2048"},
      {"batch_choices=[]", "key 'batch_choices': must not be empty"},
      {"mean_std.n_std=-1", "key 'mean_std.n_std': must be from 0 to 100"},
      {"optimal.coverage=1.5", "key 'optimal.coverage'"},
      {"onnx.static_per_gear=maybe", "key 'onnx.static_per_gear': expected true or false"},
      {"n_std", "expected key=value"},
  };
  for (const Case& c : cases) {
    ScalingConfig config;
    Status s = ApplyConfigOverride(c.set, &config);
    INFO(c.set);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.message(), Catch::Contains(c.msg));
  }
}

TEST_CASE("config files report unknown keys and wrong types with file and line", "[config]") {
  test::TempDir dir;
  ScalingConfig c;
  std::string path = test::WriteTextFile(dir / "c.yaml",
                                         "auto_scaling:\n  strategy: max_min\n  mean_std:\n"
                                         "    n_stdd: 3\n");
  Status s = LoadConfigFile(path, &c);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains(path + ":4: key 'mean_std.n_stdd': unknown key"));

  path = test::WriteTextFile(dir / "d.yaml", "auto_scaling:\n  interval: [32]\n");
  s = LoadConfigFile(path, &c);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains(":2: key 'interval': expected an integer, got a list"));

  path = test::WriteTextFile(dir / "e.yaml", "auto_scaling:\n  interval: [32\n");
  s = LoadConfigFile(path, &c);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("not valid YAML"));

  path = test::WriteTextFile(dir / "f.yaml", "auto_scaling: {}\nextra: 1\n");
  s = LoadConfigFile(path, &c);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("key 'extra': unknown key"));

  s = LoadConfigFile(dir / "missing.yaml", &c);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("missing.yaml: cannot read"));
}

TEST_CASE("a config file or --set value nesting through its own alias is refused", "[config]") {
  test::TempDir dir;
  const std::string path =
      test::WriteTextFile(dir / "c.yaml", "interval: 32\nauto_scaling: &x {mean_std: *x}\n");
  ScalingConfig c;
  Status s = LoadConfigFile(path, &c);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::StartsWith(path + ":2: nested deeper than 64 levels"));
  s = ApplyConfigOverride("batch_choices=&x [*x]", &c);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::StartsWith("--set batch_choices=&x [*x]:1: nested deeper"));
}

TEST_CASE("a key given twice in a config file names the file, line and key", "[config]") {
  test::TempDir dir;
  struct Case {
    const char* text;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"auto_scaling:\n  interval: 32\n  interval: 16\n",
       ":3: key 'interval' given twice (first on line 2)"},
      {"auto_scaling:\n  mean_std:\n    n_std: 1\n    n_std: 2\n",
       ":4: key 'mean_std.n_std' given twice (first on line 3)"},
      {"auto_scaling:\n  interval: 32\nauto_scaling:\n  interval: 16\n",
       ":3: key 'auto_scaling' given twice (first on line 1)"},
      {"interval: 32\nlimit_side_len: 960\ninterval: 16\n",
       ":3: key 'interval' given twice (first on line 1)"},
  };
  for (const Case& c : cases) {
    const std::string path = test::WriteTextFile(dir / "c.yaml", c.text);
    ScalingConfig config;
    Status s = LoadConfigFile(path, &config);
    INFO(c.text);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message() == path + c.message);
  }
}

TEST_CASE("a bare mapping of keys is accepted as a config", "[config]") {
  ScalingConfig c;
  REQUIRE(
      ApplyConfigYaml(YAML::Load("interval: 16\nmax_min: {expand_ratio: 0.5}\n"), "jobs.yaml", &c)
          .ok());
  CHECK(c.interval == 16);
  CHECK(c.expand_ratio == 0.5);
}

TEST_CASE("a mapping node's errors name its file, the key's line and the scope", "[config]") {
  const YAML::Node doc = YAML::Load(
      "jobs:\n  - auto_scaling:\n      interval: 32\n"
      "      colour: red\n");
  const YAML::Node mapping = doc["jobs"][0]["auto_scaling"];
  ScalingConfig c;
  Status s = ApplyConfigYaml(mapping, ConfigOrigin{"jobs.yaml", "job 'a': auto_scaling", 2}, &c);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() == "jobs.yaml:4: job 'a': auto_scaling: key 'colour': unknown key");
  // What concerns the whole mapping takes the origin's line.
  const YAML::Node clash =
      YAML::Load("interval: 64\nwidth_range: [1, 32]\nheight_range: [1, 32]\n");
  s = ApplyConfigYaml(clash, ConfigOrigin{"jobs.yaml", "job 'b'", 9}, &c);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().rfind("jobs.yaml:9: job 'b': key 'interval'", 0) == 0);
  s = ApplyConfigYaml(YAML::Load("[1, 2]"), ConfigOrigin{"jobs.yaml", "defaults", 3}, &c);
  CHECK(s.message() == "jobs.yaml:3: defaults: expected a mapping of config keys");
}

TEST_CASE("applying a mapping node leaves the document as it was", "[config]") {
  const YAML::Node doc = YAML::Load("auto_scaling:\n  interval: 16\n  strategy: max_min\n");
  const std::string before = YAML::Dump(doc);
  for (int i = 0; i < 2; ++i) {
    ScalingConfig c;
    REQUIRE(ApplyConfigYaml(doc, "a.yaml", &c).ok());
    CHECK(c.interval == 16);
    CHECK(c.strategy == "max_min");
  }
  CHECK(YAML::Dump(doc) == before);
}

TEST_CASE("every key is in the shipped config file and in README.md", "[config]") {
  const std::vector<std::string> keys = ConfigKeys();
  REQUIRE(keys.size() >= 16);
  const YAML::Node file = YAML::LoadFile(test::SourcePath("configs/auto_scaling.yaml"));
  // Every value in it is one its key takes (a null only where it means "none").
  ScalingConfig shipped;
  REQUIRE(LoadConfigFile(test::SourcePath("configs/auto_scaling.yaml"), &shipped).ok());
  const std::string readme = test::ReadTextFile(test::SourcePath("README.md"));
  for (const std::string& key : keys) {
    CAPTURE(key);
    // configs/auto_scaling.yaml: the dotted path under auto_scaling:.
    YAML::Node node = YAML::Clone(file["auto_scaling"]);
    size_t start = 0;
    while (node.IsDefined() && start <= key.size()) {
      const size_t dot = std::min(key.find('.', start), key.size());
      const YAML::Node child = node[key.substr(start, dot - start)];
      node.reset(child);
      start = dot + 1;
    }
    CHECK(node.IsDefined());
    // README.md: `key`, or for group.leaf a line that names `group. and `.leaf`.
    bool listed = readme.find("`" + key + "`") != std::string::npos;
    const size_t dot = key.find('.');
    if (!listed && dot != std::string::npos) {
      const std::string group = "`" + key.substr(0, dot + 1);
      const std::string leaf = "`" + key.substr(dot) + "`";
      size_t line_start = 0;
      while (!listed && line_start < readme.size()) {
        size_t end = readme.find('\n', line_start);
        if (end == std::string::npos) end = readme.size();
        const std::string line = readme.substr(line_start, end - line_start);
        listed = line.find(group) != std::string::npos && line.find(leaf) != std::string::npos;
        line_start = end + 1;
      }
    }
    CHECK(listed);
  }
}

TEST_CASE("cost keys: call_overhead is checked, a table is relative to its config file",
          "[config]") {
  ScalingConfig c;
  REQUIRE(ApplyConfigOverride("cost.call_overhead=0", &c).ok());
  CHECK(c.cost_call_overhead == 0);
  Status s = ApplyConfigOverride("cost.call_overhead=-1", &c);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("key 'cost.call_overhead': must be from 0"));
  REQUIRE(ApplyConfigOverride("cost.table=t.csv", &c).ok());
  CHECK(c.cost_table == "t.csv");  // --set: relative to the working folder
  REQUIRE(ApplyConfigOverride("cost.table=null", &c).ok());
  CHECK(c.cost_table.empty());  // null: back to the pixel model

  test::TempDir dir;
  const std::string path =
      test::WriteTextFile(dir / "conf/c.yaml", "auto_scaling:\n  cost:\n    table: m/t.csv\n");
  ScalingConfig f;
  REQUIRE(LoadConfigFile(path, &f).ok());
  CHECK(f.cost_table == dir / "conf/m/t.csv");
  const std::string absolute = test::WriteTextFile(dir / "a.yaml", "cost: {table: /x/t.csv}\n");
  REQUIRE(LoadConfigFile(absolute, &f).ok());
  CHECK(f.cost_table == "/x/t.csv");
}

TEST_CASE("backend keys: trt.profiles, trt.args, rknn.target_platform, rknn.config", "[config]") {
  ScalingConfig c;
  CHECK(c.trt_profiles == "exact");
  CHECK(c.rknn_target_platform == "rk3588");
  REQUIRE(ApplyConfigOverride("trt.profiles=ranges", &c).ok());
  CHECK(c.trt_profiles == "ranges");
  REQUIRE(ApplyConfigOverride("trt.args=[--fp16, --memPoolSize=workspace:1024]", &c).ok());
  CHECK(c.trt_args == std::vector<std::string>{"--fp16", "--memPoolSize=workspace:1024"});
  REQUIRE(ApplyConfigOverride("rknn.target_platform=rk3566", &c).ok());
  CHECK(c.rknn_target_platform == "rk3566");
  REQUIRE(ApplyConfigOverride(
              "rknn.config={optimization_level: 3, mean_values: [[0, 0, 0]], "
              "std_values: [[255.5, 255, 255]], single_core_mode: true, float_dtype: float16, "
              "quoted: '3'}",
              &c)
              .ok());
  CHECK(c.rknn_config == nlohmann::json{{"optimization_level", 3},
                                        {"mean_values", {{0, 0, 0}}},
                                        {"std_values", {{255.5, 255, 255}}},
                                        {"single_core_mode", true},
                                        {"float_dtype", "float16"},
                                        {"quoted", "3"}});
  test::TempDir dir;
  const std::string path = test::WriteTextFile(
      dir / "c.yaml",
      "auto_scaling:\n  trt:\n    args: [--int8]\n  rknn:\n    config:\n      x: 1\n");
  ScalingConfig from_file;
  REQUIRE(LoadConfigFile(path, &from_file).ok());
  CHECK(from_file.trt_args == std::vector<std::string>{"--int8"});
  CHECK(from_file.rknn_config == nlohmann::json{{"x", 1}});

  struct Case {
    const char* set;
    const char* msg;
  };
  const Case cases[] = {
      {"trt.profiles=loose", "key 'trt.profiles': expected one of exact, ranges"},
      {"trt.args=--fp16", "key 'trt.args': expected a list of trtexec flags"},
      {"trt.args=[--saveEngine=x]",
       "key 'trt.args': '--saveEngine=x': autoscale sets --saveEngine itself"},
      {"rknn.target_platform=\"rk3588'); import os\"",
       "key 'rknn.target_platform': expected lowercase letters and digits"},
      {"rknn.config=[1]", "key 'rknn.config': expected a mapping"},
      {"rknn.config={dynamic_input: []}", "autoscale sets dynamic_input itself"},
      {"rknn.config={x: {y: 1}}", "rknn.config.x: expected a number"},
      {"rknn.config={\"a)\": 1}", "key 'a)' is not a Python keyword argument name"},
  };
  for (const Case& k : cases) {
    ScalingConfig config;
    Status s = ApplyConfigOverride(k.set, &config);
    INFO(k.set);
    REQUIRE_FALSE(s.ok());
    CHECK_THAT(s.message(), Catch::Contains(k.msg));
  }
}
