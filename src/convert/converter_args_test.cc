#include "convert/converter_args.h"

#include <catch2/catch.hpp>

#include "support/run_binary.h"

using autoscale::test::TempDir;
using autoscale::test::WriteTextFile;

namespace autoscale {

namespace {

std::string AtcError(const std::vector<std::string>& args) { return CheckAtcArgs(args).message(); }

}  // namespace

TEST_CASE("converter args: --name=value splits at the first '='", "[converter_args]") {
  ConverterArg a = SplitConverterArg("--output_type=node:0:FP16");
  CHECK(a.name == "output_type");
  CHECK(a.value == "node:0:FP16");
  CHECK(a.has_value);
  CHECK_FALSE(SplitConverterArg("--flag").has_value);
  Result<ConfigEntry> e = SplitConfigEntry("ascend_context.precision_mode=enforce_fp16");
  REQUIRE(e.ok());
  CHECK(e->section == "ascend_context");
  CHECK(e->key == "precision_mode");
  CHECK(e->value == "enforce_fp16");
  CHECK_FALSE(SplitConfigEntry("precision_mode=x").ok());
  CHECK_FALSE(SplitConfigEntry("ascend_context.precision_mode").ok());
}

TEST_CASE("converter args: ATC options users need pass, files must exist", "[converter_args]") {
  TempDir dir;
  const std::string aipp = WriteTextFile(dir / "aipp.cfg", "aipp_op {\n}\n");
  CHECK(CheckAtcArgs({"--precision_mode=force_fp16", "--log=error", "--output_type=FP32",
                      "--op_select_implmode=high_precision", "--insert_op_conf=" + aipp})
            .ok());
  CHECK(AtcError({"--insert_op_conf=" + dir / "none.cfg"}) ==
        "'--insert_op_conf=" + dir / "none.cfg" + "': '" + dir / "none.cfg" + "': no such file");
  CHECK(AtcError({"precision_mode=force_fp16"}) ==
        "'precision_mode=force_fp16': expected --name=value");
}

TEST_CASE("converter args: options autoscale sets are refused, naming what sets them",
          "[converter_args]") {
  CHECK(AtcError({"--soc_version=Ascend910"}) ==
        "'--soc_version=Ascend910': autoscale sets --soc_version from --soc_version");
  CHECK(AtcError({"--model=m.onnx"}) ==
        "'--model=m.onnx': autoscale sets --model from --model_path");
  CHECK(AtcError({"--output=o"}) == "'--output=o': autoscale sets --output from --output_path");
  CHECK(AtcError({"--input_format=NCHW"}) ==
        "'--input_format=NCHW': autoscale sets --input_format from --atc_mode");
  for (const char* name :
       {"framework", "input_shape", "dynamic_batch_size", "dynamic_image_size", "dynamic_dims"}) {
    CAPTURE(name);
    CHECK_THAT(AtcError({std::string("--") + name + "=1"}),
               Catch::Contains(std::string("autoscale sets --") + name));
  }
  for (const char* name : {"fmk", "modelFile", "outputFile", "configFile", "saveType"}) {
    CAPTURE(name);
    CHECK_THAT(CheckLiteArgs({std::string("--") + name + "=x"}).message(),
               Catch::Contains(std::string("autoscale sets --") + name));
  }
  CHECK(CheckLiteArgs({"--device=Ascend"}).ok());
  for (const char* key : {"input_shape", "input_format", "dynamic_dims"}) {
    CAPTURE(key);
    CHECK_THAT(CheckLiteConfig({std::string("ascend_context.") + key + "=x"}).message(),
               Catch::Contains(std::string("autoscale sets [ascend_context] ") + key));
  }
  CHECK(CheckLiteConfig({"ascend_context.precision_mode=enforce_fp16"}).ok());
}

TEST_CASE("converter args: an option or entry given twice is refused", "[converter_args]") {
  CHECK(AtcError({"--log=error", "--log=info"}) == "--log given twice");
  CHECK(CheckLiteArgs({"--device=Ascend", "--device=CPU"}).message() == "--device given twice");
  CHECK(CheckLiteConfig({"ascend_context.precision_mode=a", "ascend_context.precision_mode=b"})
            .message() == "ascend_context.precision_mode given twice");
  CHECK(CheckLiteConfig({"ascend_context.precision_mode=a", "other.precision_mode=b"}).ok());
}

TEST_CASE("converter args: newlines and the format's separators are refused by name",
          "[converter_args]") {
  CHECK(AtcError({"--log=error\n--soc_version=x"}) ==
        "'--log=error\\n--soc_version=x': holds a newline");
  CHECK(CheckLiteConfig({"ascend_context.precision_mode=a\n[registry]"}).message() ==
        "'ascend_context.precision_mode=a\\n[registry]': the value holds a newline");
  CHECK(CheckLiteConfig({"ascend]x.key=v"}).message() == "'ascend]x.key=v': the section holds ']'");
  CHECK(CheckLiteConfig({"ascend_context.ke[y=v"}).message() ==
        "'ascend_context.ke[y=v': the key holds '['");
  CHECK(CheckInputNameFor("x\n[registry]", ":;", "f").message() ==
        "input name 'x\\n[registry]' holds a newline, which f cannot hold; rename the input in "
        "the model");
  CHECK(CheckInputNameFor("a:b", ":;", "f").message() ==
        "input name 'a:b' holds ':', which f cannot hold; rename the input in the model");
  CHECK(CheckInputNameFor("images", ":;", "f").ok());
}

TEST_CASE("converter args: the flag and the mode are named", "[converter_args]") {
  ConvertOptions options;
  options.atc_mode = "nd";
  CHECK(CheckConverterOptions(options).message() == "--atc_mode 'nd': expected native or dims");
  options.atc_mode = "dims";
  CHECK(CheckConverterOptions(options).ok());
  options.lite_args = {"--fmk=TF"};
  CHECK(CheckConverterOptions(options).message() ==
        "--lite_arg: '--fmk=TF': autoscale sets --fmk to ONNX");
}

TEST_CASE("converter args: the files options name, per backend", "[converter_args]") {
  ConvertOptions options;
  options.atc_args = {"--insert_op_conf=a/aipp.cfg", "--log=info"};
  options.lite_config = {"ascend_context.insert_op_config_file_path=b/aipp.cfg",
                         "ascend_context.precision_mode=enforce_fp16"};
  options.backend = "atc";
  CHECK(ConverterFiles(options) == std::vector<std::string>{"a/aipp.cfg"});
  options.backend = "lite";
  CHECK(ConverterFiles(options) == std::vector<std::string>{"b/aipp.cfg"});
  options.backend = "onnx";
  CHECK(ConverterFiles(options).empty());
  const auto up = [](const std::string& p) { return "/base/" + p; };
  CHECK(MapAtcArgFile("--insert_op_conf=x.cfg", up) == "--insert_op_conf=/base/x.cfg");
  CHECK(MapAtcArgFile("--log=info", up) == "--log=info");
}

}  // namespace autoscale
