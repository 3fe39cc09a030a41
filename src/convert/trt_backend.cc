#include "convert/trt_backend.h"

#include <algorithm>
#include <numeric>

#include "convert/ascend_gear_rules.h"
#include "convert/backend_gear_limits.h"
#include "convert/external_backend.h"

namespace autoscale {

namespace {

// More profiles make an engine that takes longer to build and more memory to
// hold; the gear sets autoscale chooses never need more.
constexpr BackendGearLimits kTrtLimits = {"TensorRT", "optimization profiles", kMaxGearsPerModel,
                                          kMaxBatchGear};

// The flags autoscale sets (or that would change what it builds).
const char* const kOwnFlags[] = {"--onnx",      "--saveEngine", "--loadEngine", "--profile",
                                 "--minShapes", "--optShapes",  "--maxShapes",  "--shapes",
                                 "--uff",       "--model",      "--deploy"};

ConverterBinary TrtBinary(const ConvertOptions& options) {
  return {"trtexec", options.trtexec_path, "--trtexec_path",
          "install TensorRT and put its bin folder on PATH"};
}

std::string Mode(const ConvertOptions& options) {
  return options.trt_profiles.empty() ? "exact" : options.trt_profiles;
}

std::string Dims(const FullShape& shape) {
  return std::to_string(shape[0]) + "x" + std::to_string(shape[1]) + "x" +
         std::to_string(shape[2]) + "x" + std::to_string(shape[3]);
}

int64_t Area(const FullShape& g) { return g[kN] * g[kH] * g[kW]; }

bool Holds(const FullShape& gear, const FullShape& s) {
  return s[0] <= gear[0] && s[1] <= gear[1] && s[2] <= gear[2] && s[3] <= gear[3];
}

// The size most of the samples gear `i` serves have (those it holds and no
// gear tried before it does), seen as `model` takes them (fixed dims and an
// unknown N as the gear's); the gear when it serves none.
FullShape MostFrequent(const PlannedModel& model, size_t i, const std::vector<size_t>& rank,
                       const std::map<FullShape, uint64_t>& sample_sizes) {
  const FullShape& gear = model.gears[i];
  std::map<FullShape, uint64_t> counts;
  for (const auto& [size, n] : sample_sizes) {
    FullShape s = size;
    for (int d = 0; d < 4; ++d)
      if (model.shape.dims[d] != -1 || s[d] <= 0) s[d] = gear[d];
    if (!Holds(gear, s)) continue;
    bool earlier = false;
    for (size_t j = 0; j < model.gears.size() && !earlier; ++j)
      earlier = rank[j] < rank[i] && Holds(model.gears[j], s);
    if (!earlier) counts[s] += n;
  }
  FullShape best = gear;
  uint64_t most = 0;
  for (const auto& [s, n] : counts)
    if (n > most) {
      best = s;
      most = n;
    }
  return best;
}

bool HasControl(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

class TrtBackend : public Backend {
 public:
  Status Validate(const Plan& plan, const ConvertOptions& options) const override {
    const std::string mode = Mode(options);
    const auto& modes = TrtProfileModes();
    if (std::find(modes.begin(), modes.end(), mode) == modes.end())
      return Status::Error("trt.profiles '" + mode + "': expected exact or ranges");
    if (plan.input_name.find_first_of(",'") != std::string::npos || HasControl(plan.input_name))
      return Status::Error("input name '" + plan.input_name +
                           "': trtexec and ONNX Runtime shape lists cannot hold a name with a "
                           "comma, a quote or a control character");
    Status status = CheckTrtArgs(options.trt_args);
    if (!status.ok()) return status;
    for (const PlannedModel& model : plan.models) {
      status = CheckBackendGears(model, kTrtLimits);
      if (!status.ok()) return status;
    }
    return ValidateExternalBinary(plan, options, TrtBinary(options));
  }

  std::vector<ModelOutcome> Convert(const Plan& plan,
                                    const ConvertOptions& options) const override {
    Result<std::string> binary = ConverterArgv0(options, TrtBinary(options));
    if (!binary.ok()) return FailEveryModel(plan, binary.message());
    Status copied = CopyDryRunInputs(plan, options);
    if (!copied.ok()) return FailEveryModel(plan, copied.message());
    std::vector<ExternalJob> jobs;
    for (const PlannedModel& model : plan.models) {
      jobs.push_back(
          ModelJob(options, model, TrtCommand(plan, model, options, *binary), ".engine"));
    }
    std::vector<ModelOutcome> outcomes = RunOrWriteScript(jobs, options);
    const std::string mode = Mode(options);
    for (ModelOutcome& outcome : outcomes) {
      for (const PlannedModel& model : plan.models) {
        if (model.name != outcome.name || !outcome.ok) continue;
        outcome.gears_json = {
            {"trt_profiles", mode},
            {"pad_to_gear", mode == "exact"},
            {"ort_tensorrt_options",
             TrtProviderOptions(plan.input_name, TrtProfiles(model, mode, options.sample_sizes))}};
      }
    }
    return outcomes;
  }
};

}  // namespace

const std::vector<std::string>& TrtProfileModes() {
  static const std::vector<std::string> modes = {"exact", "ranges"};
  return modes;
}

std::vector<TrtProfile> TrtProfiles(const PlannedModel& model, const std::string& mode,
                                    const std::map<FullShape, uint64_t>& sample_sizes) {
  std::vector<TrtProfile> profiles;
  const std::vector<FullShape>& gears = model.gears;
  // The order the gears are tried in: least n*h*w first, ties in gear order.
  std::vector<size_t> order(gears.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return Area(gears[a]) < Area(gears[b]); });
  std::vector<size_t> rank(gears.size());
  for (size_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
  const std::vector<Dim> dynamic = DynamicDims(model.shape);
  for (size_t i = 0; i < gears.size(); ++i) {
    const FullShape& gear = gears[i];
    TrtProfile profile{gear, gear, gear};
    if (mode == "ranges") {
      for (Dim d : dynamic) {
        int64_t below = 0;
        for (size_t j = 0; j < gears.size(); ++j) {
          if (rank[j] >= rank[i]) continue;
          const bool covers_others = std::all_of(dynamic.begin(), dynamic.end(), [&](Dim e) {
            return e == d || gears[j][e] >= gear[e];
          });
          if (covers_others && gears[j][d] < gear[d]) below = std::max(below, gears[j][d]);
        }
        profile.min[d] = below + 1;
      }
      profile.opt = MostFrequent(model, i, rank, sample_sizes);
    }
    profiles.push_back(profile);
  }
  return profiles;
}

std::vector<std::string> TrtCommand(const Plan& plan, const PlannedModel& model,
                                    const ConvertOptions& options, const std::string& binary) {
  std::vector<std::string> argv = {binary, "--onnx=" + CommandModelPath(plan, options),
                                   "--saveEngine=" + CommandOutputBase(options, model) + ".engine",
                                   "--skipInference"};
  const std::vector<TrtProfile> profiles = TrtProfiles(model, Mode(options), options.sample_sizes);
  for (size_t i = 0; i < profiles.size(); ++i) {
    argv.push_back("--profile=" + std::to_string(i));
    argv.push_back("--minShapes=" + plan.input_name + ":" + Dims(profiles[i].min));
    argv.push_back("--optShapes=" + plan.input_name + ":" + Dims(profiles[i].opt));
    argv.push_back("--maxShapes=" + plan.input_name + ":" + Dims(profiles[i].max));
  }
  argv.insert(argv.end(), options.trt_args.begin(), options.trt_args.end());
  return argv;
}

nlohmann::json TrtProviderOptions(const std::string& input,
                                  const std::vector<TrtProfile>& profiles) {
  std::string min, opt, max;
  for (const TrtProfile& p : profiles) {
    const char* sep = min.empty() ? "" : ",";
    min += sep + input + ":" + Dims(p.min);
    opt += sep + input + ":" + Dims(p.opt);
    max += sep + input + ":" + Dims(p.max);
  }
  return {{"trt_profile_min_shapes", min},
          {"trt_profile_opt_shapes", opt},
          {"trt_profile_max_shapes", max}};
}

Status CheckTrtArgs(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0 || HasControl(arg))
      return Status::Error("trt.args: '" + arg +
                           "' is not a trtexec flag (--flag or --flag=value, no control "
                           "characters)");
    const std::string flag = arg.substr(0, arg.find('='));
    for (const char* own : kOwnFlags)
      if (flag == own)
        return Status::Error("trt.args: '" + arg + "': autoscale sets " + flag +
                             " itself from the model, the output folder and the gears");
  }
  return Status::Ok();
}

std::unique_ptr<Backend> MakeTrtBackend() { return std::make_unique<TrtBackend>(); }

}  // namespace autoscale
