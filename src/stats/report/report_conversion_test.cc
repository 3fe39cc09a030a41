#include <catch2/catch.hpp>

#include "stats/report/report_html.h"
#include "stats/report/report_test_inputs.h"

namespace autoscale {
namespace {

using report_test::RecognitionInput;
using report_test::RecognitionProfile;

ReportConversion SampleConversion() {
  ReportConversion c;
  c.model_path = "models/rec.onnx";
  c.input_name = "x<1>";
  c.backend = "atc";
  c.atc_mode = "dims";
  c.output_path = "out";
  c.dry_run = true;
  ReportModelFile ok;
  ok.name = "rec_dynamic_bs";
  ok.file = "rec_dynamic_bs.om";
  ok.mode = "dynamic_bs";
  ok.input_shape = "-1,3,48,320";
  ok.gears = {{1, 3, 48, 320}, {8, 3, 48, 320}};
  ok.runtime_call = "aclmdlSetInputDynamicDims";
  ReportModelFile failed = ok;
  failed.name = "rec_other";
  failed.file.clear();
  failed.ok = false;
  failed.error = "atc exited 1";
  c.models = {ok, failed};
  c.commands = {"atc --model=../models/rec.onnx --input_format=ND '--dynamic_dims=1;8'"};
  c.script_path = "out/convert.sh";
  return c;
}

TEST_CASE("Report of a convert names the model, input, backend, mode, files and commands",
          "[report]") {
  const Profile profile = RecognitionProfile();
  ReportInput in = RecognitionInput(&profile);
  CHECK(RenderReportHtml(in).find("id=\"conversion\"") == std::string::npos);
  in.conversion = SampleConversion();
  const std::string html = RenderReportHtml(in);
  const size_t at = html.find("<section id=\"conversion\">");
  REQUIRE(at != std::string::npos);
  const std::string section = html.substr(at, html.find("</section>", at) - at);
  for (const char* text :
       {"<code>models/rec.onnx</code>", "<code>x&lt;1&gt;</code>", "atc (dry run",
        "<td>mode</td><td>dims</td>", "<code>rec_dynamic_bs.om</code>",
        "1\u00d73\u00d748\u00d7320, 8\u00d73\u00d748\u00d7320",
        "<code>aclmdlSetInputDynamicDims</code>", "<code>rec_other</code>", "failed: atc exited 1",
        "<code>out/convert.sh</code>",
        "atc --model=../models/rec.onnx --input_format=ND &#39;--dynamic_dims=1;8&#39;"}) {
    CAPTURE(text);
    CHECK(section.find(text) != std::string::npos);
  }
}

}  // namespace
}  // namespace autoscale
