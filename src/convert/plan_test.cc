#include "convert/plan.h"

#include <catch2/catch.hpp>

using namespace autoscale;

namespace {

InputShape Shape(const char* text) { return *ParseInputShape(text); }

std::vector<std::string> Names(const Plan& p) {
  std::vector<std::string> names;
  for (const auto& m : p.models) names.push_back(m.name);
  return names;
}

}  // namespace

TEST_CASE("a static shape plans one static model and ignores gears", "[plan]") {
  GearSet gears;
  gears.batch = {1, 4};
  auto plan = MakePlan("models/rec.onnx", "x", Shape("1,3,48,320"), gears);
  REQUIRE(plan.ok());
  CHECK(plan->stem == "rec");
  REQUIRE(plan->models.size() == 1);
  const PlannedModel& m = plan->models[0];
  CHECK(m.name == "rec_static");
  CHECK(m.mode == "static");
  CHECK(m.shape.ToString() == "1,3,48,320");
  CHECK(m.gears == std::vector<FullShape>{{1, 3, 48, 320}});
  CHECK(m.runtime_call.empty());
  CHECK(plan->ScalingDataJson() == nlohmann::json::object());
}

TEST_CASE("only N dynamic plans dynamic_bs with the batch gears", "[plan]") {
  GearSet gears;
  gears.batch = {8, 1, 4};
  auto plan = MakePlan("/a/cls.onnx", "x", Shape("-1,3,48,192"), gears);
  REQUIRE(plan.ok());
  REQUIRE(Names(*plan) == std::vector<std::string>{"cls_dynamic_bs"});
  const PlannedModel& m = plan->models[0];
  CHECK(m.mode == "dynamic_bs");
  CHECK(m.shape.ToString() == "-1,3,48,192");
  CHECK(m.gears == std::vector<FullShape>{{1, 3, 48, 192}, {4, 3, 48, 192}, {8, 3, 48, 192}});
  CHECK(m.runtime_call == "aclmdlSetDynamicBatchSize");
  CHECK(plan->ScalingDataJson() ==
        nlohmann::json::parse(R"({"dyn_input1": [[1,3,48,192],[4,3,48,192],[8,3,48,192]]})"));

  CHECK_THAT(MakePlan("cls.onnx", "x", Shape("-1,3,48,192"), GearSet{}).message(),
             Catch::Contains("dynamic N but no batch gears"));
}

TEST_CASE("N fixed with H and/or W dynamic plans dynamic_hw", "[plan]") {
  GearSet width;
  width.hw = {{48, 320}, {48, 640}, {48, 960}};
  auto rec = MakePlan("rec.onnx", "x", Shape("1,3,48,-1"), width);
  REQUIRE(rec.ok());
  REQUIRE(Names(*rec) == std::vector<std::string>{"rec_dynamic_hw"});
  CHECK(rec->models[0].gears ==
        std::vector<FullShape>{{1, 3, 48, 320}, {1, 3, 48, 640}, {1, 3, 48, 960}});
  CHECK(rec->models[0].shape.ToString() == "1,3,48,-1");
  CHECK(rec->models[0].runtime_call == "aclmdlSetInputDynamicDims");

  GearSet hw;
  hw.hw = {{640, 480}, {480, 640}};
  auto det = MakePlan("det.onnx", "x", Shape("1,3,-1,-1"), hw);
  REQUIRE(det.ok());
  CHECK(det->models[0].mode == "dynamic_hw");
  CHECK(det->models[0].shape.ToString() == "1,3,-1,-1");
  CHECK(det->models[0].runtime_call == "aclmdlSetDynamicHWSize");
  CHECK(det->models[0].gears == std::vector<FullShape>{{1, 3, 480, 640}, {1, 3, 640, 480}});

  // A dynamic dim with one value in every gear is compiled as that value.
  GearSet one_height;
  one_height.hw = {{640, 480}, {640, 960}};
  auto pinned = MakePlan("det.onnx", "x", Shape("1,3,-1,-1"), one_height);
  REQUIRE(pinned.ok());
  CHECK(pinned->models[0].shape.ToString() == "1,3,640,-1");
  CHECK(pinned->models[0].runtime_call == "aclmdlSetInputDynamicDims");

  GearSet wrong;
  wrong.hw = {{32, 320}, {48, 640}};
  CHECK_THAT(MakePlan("rec.onnx", "x", Shape("1,3,48,-1"), wrong).message(),
             Catch::Contains("gear 32x320 does not keep the fixed dims"));
  CHECK_THAT(MakePlan("rec.onnx", "x", Shape("1,3,48,-1"), GearSet{}).message(),
             Catch::Contains("no (h, w) gears"));
}

TEST_CASE("N and H/W dynamic plan one model per batch gear", "[plan]") {
  GearSet gears;
  gears.batch = {1, 8};
  gears.hw = {{48, 320}, {48, 640}};
  gears.hw_per_batch[8] = {{48, 160}, {48, 320}, {48, 480}};
  auto plan = MakePlan("rec.onnx", "x", Shape("-1,3,48,-1"), gears);
  REQUIRE(plan.ok());
  REQUIRE(Names(*plan) == std::vector<std::string>{"rec_dynamic_bs1_hw", "rec_dynamic_bs8_hw"});
  const PlannedModel& b1 = plan->models[0];
  CHECK(b1.mode == "dynamic_bs1_hw");
  CHECK(b1.shape.ToString() == "1,3,48,-1");
  CHECK(b1.gears == std::vector<FullShape>{{1, 3, 48, 320}, {1, 3, 48, 640}});
  CHECK(b1.runtime_call == "aclmdlSetInputDynamicDims");
  const PlannedModel& b8 = plan->models[1];
  CHECK(b8.shape.ToString() == "8,3,48,-1");
  CHECK(b8.gears == std::vector<FullShape>{{8, 3, 48, 160}, {8, 3, 48, 320}, {8, 3, 48, 480}});

  GearSet det;
  det.batch = {1, 2};
  det.hw = {{640, 640}, {960, 960}};
  auto both = MakePlan("det.onnx", "x", Shape("-1,3,-1,-1"), det);
  REQUIRE(both.ok());
  CHECK(both->models[1].shape.ToString() == "2,3,-1,-1");
  CHECK(both->models[1].runtime_call == "aclmdlSetDynamicHWSize");
  CHECK(both->ScalingDataJson() == nlohmann::json::parse(R"({
    "dyn_input1": [[1,3,640,640],[1,3,960,960]],
    "dyn_input2": [[2,3,640,640],[2,3,960,960]]})"));
}

TEST_CASE("the plan as JSON", "[plan]") {
  GearSet gears;
  gears.batch = {1, 4};
  auto plan = MakePlan("m/cls.onnx", "x", Shape("-1,3,48,192"), gears);
  REQUIRE(plan.ok());
  const nlohmann::json j = plan->ToJson();
  CHECK(j["model"] == "m/cls.onnx");
  CHECK(j["input_name"] == "x");
  CHECK(j["input_shape"] == "-1,3,48,192");
  REQUIRE(j["models"].size() == 1);
  CHECK(j["models"][0]["name"] == "cls_dynamic_bs");
  CHECK(j["models"][0]["mode"] == "dynamic_bs");
  CHECK(j["models"][0]["input_shape"] == "-1,3,48,192");
  CHECK(j["models"][0]["gears"] == nlohmann::json::parse("[[1,3,48,192],[4,3,48,192]]"));
  CHECK(j["models"][0]["runtime_call"] == "aclmdlSetDynamicBatchSize");
}

TEST_CASE("the runtime call per backend and mode", "[plan]") {
  GearSet g;
  g.batch = {1, 4};
  g.hw = {{48, 320}, {64, 640}};
  const auto calls = [&](const std::string& shape, const std::string& backend,
                         const std::string& mode) {
    Result<Plan> plan = MakePlan("m.onnx", "x", *ParseInputShape(shape), g);
    REQUIRE(plan.ok());
    SetRuntimeCalls(&*plan, backend, mode);
    return plan->models.front().runtime_call;
  };
  CHECK(calls("-1,3,48,320", "atc", "native") == "aclmdlSetDynamicBatchSize");
  CHECK(calls("1,3,-1,-1", "atc", "native") == "aclmdlSetDynamicHWSize");
  g.hw = {{48, 640}, {64, 640}};  // H alone varies
  CHECK(calls("1,3,-1,-1", "atc", "native") == "aclmdlSetInputDynamicDims");
  g.hw = {{48, 320}, {64, 640}};
  CHECK(calls("-1,3,48,320", "atc", "dims") == "aclmdlSetInputDynamicDims");
  CHECK(calls("1,3,-1,-1", "atc", "dims") == "aclmdlSetInputDynamicDims");
  CHECK(calls("-1,3,48,320", "lite", "native") == "Model::Resize");
  CHECK(calls("1,3,-1,-1", "lite", "dims") == "Model::Resize");
  CHECK(calls("-1,3,48,320", "onnx", "native") == "symbolic_dims");
  CHECK(calls("-1,3,48,320", "trt", "native") == "IExecutionContext::setOptimizationProfileAsync");
  CHECK(calls("1,3,-1,-1", "rknn", "native") == "rknn_set_input_shapes");
  CHECK(calls("1,3,-1,-1", "openvino", "native") == "static_file");
  CHECK(calls("1,3,48,320", "atc", "dims") == "");
  CHECK(calls("1,3,48,320", "lite", "native") == "");
}
