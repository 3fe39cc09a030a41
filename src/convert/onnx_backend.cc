// The embedded backend: each planned model is the source graph with its
// input dims rewritten and its gears in metadata_props, checked and
// shape-inferred. Every gear is also shape-inferred on its own (so a gear the
// graph cannot take is reported by name even when no per-gear file is
// written); with static_per_gear each of those fully static graphs is saved
// too. With dry_run everything is checked and nothing is written.
#include "convert/onnx_backend.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "common/interrupt.h"
#include "common/json_text.h"
#include "common/parallel_workers.h"
#include "convert/onnx_model.h"

namespace autoscale {
namespace {

namespace fs = std::filesystem;

std::string GearName(const FullShape& g) {
  return std::to_string(g[0]) + "x" + std::to_string(g[1]) + "x" + std::to_string(g[2]) + "x" +
         std::to_string(g[3]);
}

// <dir>/<stem>_<n>x<c>x<h>x<w>.onnx
std::string GearPath(const std::string& dir, const std::string& stem, const FullShape& g) {
  return (fs::path(dir) / (stem + "_" + GearName(g) + ".onnx")).string();
}

std::string GearsJson(const std::vector<FullShape>& gears) {
  nlohmann::json list = nlohmann::json::array();
  for (const FullShape& g : gears) list.push_back({g[0], g[1], g[2], g[3]});
  return JsonText(list);
}

void SetShapeMetadata(onnx::ModelProto* model, const std::string& input, const std::string& mode,
                      const std::vector<FullShape>& gears) {
  SetMetadata(model, "autoscale.gears", GearsJson(gears));
  SetMetadata(model, "autoscale.mode", mode);
  SetMetadata(model, "autoscale.input", input);
}

// A planned model's gears must fit the shape it is compiled with.
Status CheckPlannedModel(const PlannedModel& m) {
  if (m.gears.empty()) return Status::Error("no gears");
  for (const FullShape& g : m.gears) {
    for (int d = 0; d < 4; ++d) {
      if (g[d] < 1 || (m.shape.dims[d] != -1 && g[d] != m.shape.dims[d])) {
        return Status::Error("gear " + GearName(g) + " does not fit input shape " +
                             m.shape.ToString());
      }
    }
  }
  return Status::Ok();
}

struct LoadedModel {
  OnnxModel model;
  std::string input;
};

Result<LoadedModel> LoadChecked(const Plan& plan) {
  auto model = LoadOnnxModel(plan.model_path);
  if (!model.ok()) return model.status();
  auto input = FindInput(model->proto, plan.input_name);
  if (!input.ok()) return input.status().WithContext(plan.model_path);
  Status s = CheckInputShape(model->proto, *input, plan.shape);
  if (!s.ok()) return s.WithContext(plan.model_path);
  return LoadedModel{std::move(*model), *input};
}

// Threads for the per-gear work: one per core, but no more graph copies than
// fit in about 1 GB, and no more than there are gears.
size_t GearThreads(size_t gears, size_t model_bytes) {
  const size_t cores = std::max(1u, std::thread::hardware_concurrency());
  const size_t by_memory =
      std::max<size_t>(1, (size_t{1} << 30) / std::max<size_t>(model_bytes, 1));
  return std::max<size_t>(1, std::min({cores, by_memory, gears}));
}

// Removes a folder tree that this run created; errors are of no use here.
void RemoveTree(const std::string& path) {
  std::error_code ec;
  fs::remove_all(path, ec);
}

class OnnxBackend : public Backend {
 public:
  Status Validate(const Plan& plan, const ConvertOptions&) const override {
    auto model = LoadChecked(plan);
    if (!model.ok()) return model.status();
    for (const PlannedModel& m : plan.models) {
      Status s = CheckPlannedModel(m);
      if (!s.ok()) return s.WithContext(m.name);
    }
    return Status::Ok();
  }

  std::vector<ModelOutcome> Convert(const Plan& plan,
                                    const ConvertOptions& options) const override {
    std::vector<ModelOutcome> outcomes;
    auto loaded = LoadChecked(plan);
    std::error_code ec;
    fs::create_directories(options.output_path, ec);
    size_t most_gears = 0;
    for (const PlannedModel& m : plan.models) most_gears = std::max(most_gears, m.gears.size());
    // One graph per gear thread, shared by every model of the plan.
    std::vector<onnx::ModelProto> scratch(
        loaded.ok() ? GearThreads(most_gears, loaded->model.proto.ByteSizeLong()) : 0);
    for (const PlannedModel& m : plan.models) {
      ModelOutcome outcome;
      outcome.name = m.name;
      if (Interrupted()) {
        outcome.error = "not started: autoscale was interrupted";
        outcomes.push_back(std::move(outcome));
        continue;
      }
      ReportModelStart(options.progress, outcomes.size() + 1, plan.models.size(), m.name);
      const auto start = std::chrono::steady_clock::now();
      Status s = !loaded.ok() ? loaded.status()
                 : ec ? Status::Error(options.output_path + ": cannot create: " + ec.message())
                      : CheckPlannedModel(m);
      if (s.ok()) s = ConvertOne(*loaded, plan.stem, m, options, &scratch, &outcome.files);
      outcome.ok = s.ok();
      outcome.error = s.message();
      outcome.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      ReportModelEnd(options.progress, outcomes.size() + 1, plan.models.size(), outcome);
      outcomes.push_back(std::move(outcome));
    }
    return outcomes;
  }

 private:
  static Status ConvertOne(const LoadedModel& source, const std::string& stem,
                           const PlannedModel& m, const ConvertOptions& options,
                           std::vector<onnx::ModelProto>* scratch,
                           std::vector<std::string>* files) {
    const OnnxModel& model = source.model;
    onnx::ModelProto shaped = model.proto;
    Status s = SetInputDims(&shaped, source.input, m.shape.dims);
    if (s.ok()) {
      SetShapeMetadata(&shaped, source.input, m.mode, m.gears);
      s = CheckModel(shaped, model.base_dir);
    }
    if (!s.ok()) return s;

    const std::string gear_dir = (fs::path(options.output_path) / (m.name + "_gears")).string();
    // --dry-run: every check, no file.
    const bool write = !options.dry_run;
    const std::string staging = options.static_per_gear && write ? TempDirFor(gear_dir) : "";
    if (!staging.empty()) {
      std::error_code ec;
      fs::create_directories(staging, ec);
      if (ec) return Status::Error(gear_dir + ": cannot create: " + ec.message());
    }
    std::vector<std::string> gear_files;
    s = ShapeEveryGear(source, stem, m, staging, gear_dir, scratch, &gear_files);
    if (!s.ok()) {
      if (!staging.empty()) RemoveTree(staging);
      return s;
    }

    // After the gears, so that a dim every gear pins to a value the graph
    // cannot take is reported with a gear's name.
    s = InferShapes(&shaped);
    const std::string path = (fs::path(options.output_path) / (m.name + ".onnx")).string();
    if (s.ok() && write) s = SaveOnnxModel(shaped, model.base_dir, model.external_files, path);
    if (!s.ok()) {
      if (!staging.empty()) RemoveTree(staging);
      return s;
    }
    if (!staging.empty()) {
      s = ReplaceFolder(staging, gear_dir);
      if (!s.ok()) {
        std::remove(path.c_str());
        return s;
      }
    }
    files->push_back(path);
    if (options.static_per_gear && !write) {
      for (const FullShape& g : m.gears) gear_files.push_back(GearPath(gear_dir, stem, g));
    }
    files->insert(files->end(), gear_files.begin(), gear_files.end());
    return Status::Ok();
  }

  // Every gear on its own: the graph must take it. With `staging` set, each
  // static model is also saved there (as it will be named in `gear_dir`,
  // listed in `gear_files`). Gears are shared out among threads, each with
  // its own copy of the graph; the error is that of the first failing gear
  // in gear order, whatever the timing.
  static Status ShapeEveryGear(const LoadedModel& source, const std::string& stem,
                               const PlannedModel& m, const std::string& staging,
                               const std::string& gear_dir, std::vector<onnx::ModelProto>* scratch,
                               std::vector<std::string>* gear_files) {
    const size_t n = m.gears.size();
    std::vector<Status> results(n);
    std::atomic<size_t> next{0};
    std::atomic<bool> failed{false};
    auto work = [&](size_t t) {
      // Copied once per thread for all the models of the plan.
      onnx::ModelProto& graph = (*scratch)[t];
      if (!graph.has_graph()) graph = source.model.proto;
      // A gear once taken is always finished, so every gear before a
      // failing one has been tried.
      while (!failed && !Interrupted()) {
        const size_t i = next++;
        if (i >= n) break;
        results[i] = ShapeOneGear(source, stem, m.gears[i], staging, &graph);
        if (!results[i].ok()) failed = true;
      }
    };
    // ONNX fills its schema registry on first use, unguarded: the checker has
    // run on this thread already (ConvertOne), so the threads only read it.
    RunWorkers(static_cast<int>(std::min(n, scratch->size())),
               [&](int t) { work(static_cast<size_t>(t)); });
    for (size_t i = 0; i < n; ++i) {
      if (!results[i].ok()) return results[i].WithContext("gear " + GearName(m.gears[i]));
    }
    if (Interrupted()) return Status::Error("interrupted");
    if (!staging.empty()) {
      for (const FullShape& g : m.gears) gear_files->push_back(GearPath(gear_dir, stem, g));
    }
    return Status::Ok();
  }

  static Status ShapeOneGear(const LoadedModel& source, const std::string& stem, const FullShape& g,
                             const std::string& staging, onnx::ModelProto* scratch) {
    const OnnxModel& model = source.model;
    // Inference wrote the previous gear's shapes into the outputs.
    *scratch->mutable_graph()->mutable_output() = model.proto.graph().output();
    Status s = SetInputDims(scratch, source.input, g);
    if (!s.ok()) return s;
    if (staging.empty()) return InferShapes(scratch);
    // The checker passed on the planned model, which differs from this one
    // only in the input dims and metadata values: inference is what can fail.
    SetShapeMetadata(scratch, source.input, "static", {g});
    s = InferShapes(scratch);
    if (!s.ok()) return s;
    return SaveOnnxModel(*scratch, model.base_dir, model.external_files,
                         GearPath(staging, stem, g));
  }

  static std::string TempDirFor(const std::string& dir) {
    static int counter = 0;
    const fs::path p(dir);
    return (p.parent_path() / ("." + p.filename().string() + ".tmp." + std::to_string(::getpid()) +
                               "." + std::to_string(counter++)))
        .string();
  }

  // Puts a fully written folder in place of `dir` (and of what a previous run
  // left there).
  static Status ReplaceFolder(const std::string& staging, const std::string& dir) {
    std::error_code ec;
    std::string old;
    if (fs::exists(dir, ec)) {
      old = TempDirFor(dir);
      fs::rename(dir, old, ec);
      if (ec) {
        RemoveTree(staging);
        return Status::Error(dir + ": cannot replace: " + ec.message());
      }
    }
    fs::rename(staging, dir, ec);
    if (ec) {
      RemoveTree(staging);
      if (!old.empty()) fs::rename(old, dir, ec);
      return Status::Error(dir + ": cannot write: " + ec.message());
    }
    if (!old.empty()) RemoveTree(old);
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Backend> MakeOnnxBackend() { return std::make_unique<OnnxBackend>(); }

}  // namespace autoscale
