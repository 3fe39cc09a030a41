#include "convert/dry_run_script.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "support/run_binary.h"

using autoscale::test::ReadTextFile;
using autoscale::test::RunProgram;
using autoscale::test::TempDir;
namespace fs = std::filesystem;

namespace autoscale {

TEST_CASE("dry run: words are quoted only when a shell would interpret them",
          "[external_runner][dry_run]") {
  CHECK(ShellQuote("--dynamic_batch_size=1,2,4") == "--dynamic_batch_size=1,2,4");
  CHECK(ShellQuote("/opt/x/atc") == "/opt/x/atc");
  CHECK(ShellQuote("--dynamic_dims=320;640") == "'--dynamic_dims=320;640'");
  CHECK(ShellQuote("a b") == "'a b'");
  CHECK(ShellQuote("it's") == "'it'\\''s'");
  CHECK(ShellQuote("$HOME") == "'$HOME'");
  CHECK(ShellQuote("") == "''");
  CHECK(ShellQuote("[1],[4]") == "'[1],[4]'");
  CHECK(ShellCommandLine({"atc", "--input_shape=x:-1,3,48,320", "a b"}) ==
        "atc --input_shape=x:-1,3,48,320 'a b'");
}

TEST_CASE("dry run: a shell running convert.sh passes every word through unchanged",
          "[external_runner][dry_run]") {
  TempDir dir;
  const std::vector<std::string> odd = {"a b",  "it's", "say \"hi\"", "$HOME", "`id`", "x;y",
                                        "*",    "",     "two\nlines", "\\",   "!x",   "--k=1;2"};
  ExternalJob job;
  job.name = "m\nrm -rf /";  // a newline in a name must not escape its comment
  job.argv = {"/usr/bin/printf", "[%s]\\n"};
  job.argv.insert(job.argv.end(), odd.begin(), odd.end());
  job.output.path = dir / "m.om";
  ExternalJob failing;
  failing.name = "f";
  failing.argv = {"/bin/false"};
  failing.output.path = dir / "f.om";
  ExternalJob last;
  last.name = "l";
  last.argv = {"/usr/bin/printf", "last\\n"};
  last.output.path = dir / "l.om";
  Result<std::vector<ModelOutcome>> outcomes = WriteDryRun(dir.path(), {job, failing, last});
  REQUIRE(outcomes.ok());
  const std::string script = DryRunScriptPath(dir.path());
  CHECK(script == dir / "convert.sh");
  struct stat st;
  REQUIRE(::stat(script.c_str(), &st) == 0);
  CHECK((st.st_mode & S_IXUSR) != 0);
  CHECK_THAT(ReadTextFile(script), Catch::StartsWith("#!/bin/sh\n"));
  CHECK_THAT(ReadTextFile(script), Catch::Contains("# m?rm -rf / -> "));

  auto result = RunProgram({script});
  std::string expected;
  for (const std::string& word : odd) expected += "[" + word + "]\n";
  CHECK(result.out == expected + "last\n");  // the failing command did not stop the script
  CHECK(result.exit_code == 1);              // but it says one failed
}

TEST_CASE("dry run: outcomes list the files a run would produce", "[external_runner][dry_run]") {
  TempDir dir;
  ExternalJob job;
  job.name = "m_dynamic_bs";
  job.argv = {"converter_lite", "--fmk=ONNX"};
  job.output.path = dir / "out/m_dynamic_bs.mindir";
  job.inputs = {dir / "out/m_dynamic_bs_lite.cfg"};
  Result<std::vector<ModelOutcome>> outcomes = WriteDryRun(dir / "out", {job});
  REQUIRE(outcomes.ok());
  REQUIRE(outcomes->size() == 1);
  const ModelOutcome& outcome = (*outcomes)[0];
  CHECK(outcome.ok);
  CHECK(outcome.name == "m_dynamic_bs");
  CHECK(outcome.files ==
        std::vector<std::string>{dir / "out/m_dynamic_bs.mindir", dir / "out/m_dynamic_bs_lite.cfg"});
  CHECK_FALSE(fs::exists(dir / "out/m_dynamic_bs.mindir"));
  CHECK_THAT(ReadTextFile(dir / "out/convert.sh"),
             Catch::Contains("\nconverter_lite --fmk=ONNX || status=1\n"));
}

TEST_CASE("dry run: an output folder that cannot be written is an error",
          "[external_runner][dry_run]") {
  TempDir dir;
  autoscale::test::WriteTextFile(dir / "file", "x");
  Result<std::vector<ModelOutcome>> outcomes = WriteDryRun(dir / "file", {});
  REQUIRE_FALSE(outcomes.ok());
  CHECK_THAT(outcomes.message(), Catch::StartsWith(dir / "file/convert.sh: cannot write"));
}

}  // namespace autoscale
