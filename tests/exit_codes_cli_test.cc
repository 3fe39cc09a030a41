// End-to-end tests of the exit codes README.md documents: 0 ok, 1 failed,
// 2 usage or config error.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "support/run_binary.h"

using autoscale::test::RunAutoscale;
using autoscale::test::SourcePath;
using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;

namespace {

struct Case {
  std::vector<std::string> args;
  int code;
  std::string message;
};

void CheckCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    auto r = RunAutoscale(c.args);
    std::string line;
    for (const std::string& a : c.args) line += a + " ";
    INFO(line << "-> " << r.exit_code << ": " << r.err);
    CHECK(r.exit_code == c.code);
    CHECK_THAT(r.err, Catch::Contains(c.message));
    CHECK(r.err.find('\n') == r.err.size() - 1);
  }
}

}  // namespace

TEST_CASE("a bad command line exits 2 with one line naming what is wrong", "[exit_codes]") {
  const std::string shape = "--input_shape=-1,3,48,-1";
  CheckCases({
      {{"--bogus"}, 2, "--bogus"},
      {{"--bogus", "--other"}, 2, "--bogus --other"},
      {{}, 2, "A subcommand is required"},
      {{"stats", shape, "--bogus"}, 2, "--bogus"},
      {{"stats", "--input_shape"}, 2, "--input_shape"},
      {{"stats", shape, "--threads", "x"}, 2, "--threads"},
      {{"run"}, 2, "FILE is required"},
      {{"run", "a.yaml", "--jobs", "0"}, 2, "--jobs"},
      {{"convert", "--nope"}, 2, "--nope"},
  });
}

TEST_CASE("config and option errors exit 2, input that fails exits 1", "[exit_codes]") {
  TempDir dir;
  WriteTextFile(dir / "bad.yaml", "auto_scaling:\n  intervall: 32\n");
  WriteTextFile(dir / "bad.csv", "batch,height,width,ms\n1,48,320,-3\n");
  WriteTextFile(dir / "bad_labels.txt", "a.jpg\t[not json\n");
  const std::string shape = "--input_shape=-1,3,48,-1";
  const std::string labels = SourcePath("data/samples/det_label.txt");
  CheckCases({
      {{"stats", shape, "--config", dir / "bad.yaml"}, 2, "intervall"},
      {{"stats", shape, "--config", dir / "missing.yaml"}, 2, "missing.yaml"},
      {{"stats", shape, "--set", "interval=x"}, 2, "interval"},
      {{"stats", shape, "--cost_table", dir / "bad.csv"}, 2, "bad.csv:2:"},
      {{"stats", "--input_shape=1,3,48"}, 2, "--input_shape"},
      {{"stats", "--dataset_path", labels}, 2, "--input_shape is required"},
      {{"stats", shape, "--dataset_path", labels, "--dataset_type", "voc"}, 2, "voc"},
      {{"stats", shape, "--dataset_path", labels, "--holdout", "2"}, 2, "--holdout"},
      {{"stats", shape, "--gears", dir / "g.yaml"}, 2, "--gears needs"},
      {{"merge", dir / "p.json"}, 2, "--output is required"},
      {{"stats", shape, "--save_profile", dir / "p.json"}, 2, "--save_profile needs"},
      {{"convert", shape, "--set", "interval=x", "--model_path", dir / "m.onnx"}, 2, "interval"},
      {{"convert", shape, "--backend", "nope", "--model_path", dir / "m.onnx"}, 2, "nope"},
      {{"convert", shape}, 2, "--model_path is required"},
      {{"stats", shape, "--dataset_path", dir / "nope"}, 1, "nope"},
      {{"stats", shape, "--dataset_path", dir / "bad_labels.txt"}, 1, "bad_labels.txt"},
      {{"convert", shape, "--model_path", dir / "m.onnx"}, 1, "m.onnx"},
  });
}
