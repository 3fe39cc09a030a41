// Times `autoscale convert` of the real PP-OCRv4 rec model with the onnx
// backend from a saved profile (the goal: under 1 s), and prints beside it
// the floor of the same job: loading and saving the model unchanged once per
// output file, in-process.
//
//   convert_bench [--runs N]
//
// Needs the models of scripts/fetch-models.sh (cache/models, or
// $AUTOSCALE_MODELS_DIR) and the autoscale binary beside this program.
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "convert/onnx_model.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

struct Timing {
  int exit_code = -1;
  double wall = 0;
  double cpu = 0;
};

// Runs a program (no shell) and measures its wall and CPU time.
Timing Run(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Timing t;
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return t;
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) != pid) return t;
  t.wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.cpu = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
          (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  t.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return t;
}

// The repository: the first parent of this program that holds the config.
std::string FindRepo(const fs::path& exe) {
  for (fs::path p = exe.parent_path(); !p.empty() && p != p.root_path(); p = p.parent_path()) {
    if (fs::is_regular_file(p / "configs/auto_scaling.yaml")) return p.string();
  }
  return "";
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "convert_bench: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  if (argc == 3 && std::strcmp(argv[1], "--runs") == 0) runs = std::max(1, std::atoi(argv[2]));
  const fs::path exe = fs::read_symlink("/proc/self/exe");
  const std::string autoscale = (exe.parent_path() / "autoscale").string();
  const std::string repo = FindRepo(exe);
  if (repo.empty()) return Fail("cannot find the repository above " + exe.string());
  if (!fs::is_regular_file(autoscale)) return Fail(autoscale + " is missing: build the autoscale target");
  const char* env = std::getenv("AUTOSCALE_MODELS_DIR");
  const std::string models = env && *env ? env : repo + "/cache/models";
  const std::string rec = models + "/ch_PP-OCRv4_rec_infer.onnx";
  if (!fs::is_regular_file(rec)) return Fail(rec + " is missing: run scripts/fetch-models.sh");

  const fs::path dir = fs::temp_directory_path() / ("autoscale-convert-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string config = repo + "/configs/auto_scaling.yaml";
  const std::string profile = (dir / "profile.json").string();
  const std::string out = (dir / "out").string();
  const Timing stats = Run({autoscale, "stats", "--config", config, "--dataset_path",
                            repo + "/data/samples/det_label.txt", "--input_shape=-1,3,48,-1",
                            "--save_profile", profile, "--quiet"});
  if (stats.exit_code != 0) return Fail("autoscale stats --save_profile failed");

  std::vector<Timing> timings;
  for (int i = 0; i < runs; ++i) {
    timings.push_back(Run({autoscale, "convert", "--config", config, "--model_path", rec,
                           "--profile", profile, "--output_path", out, "--quiet"}));
    if (timings.back().exit_code != 0) return Fail("autoscale convert failed");
  }
  std::sort(timings.begin(), timings.end(), [](const Timing& a, const Timing& b) { return a.wall < b.wall; });
  const Timing& median = timings[timings.size() / 2];

  auto gears = autoscale::ReadFile(out + "/gears.json");
  if (!gears.ok()) return Fail(gears.message());
  const nlohmann::json g = nlohmann::json::parse(*gears);
  size_t gear_count = 0;
  for (const auto& m : g["models"]) gear_count += m["gears"].size();
  const size_t files = g["models"].size();

  // The floor: the same model read and written unchanged, once per file.
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < files; ++i) {
    auto model = autoscale::LoadOnnxModel(rec);
    if (!model.ok()) return Fail(model.message());
    autoscale::Status s = autoscale::SaveOnnxModel(model->proto, model->base_dir, model->external_files,
                                                   (dir / "floor.onnx").string());
    if (!s.ok()) return Fail(s.message());
  }
  const double floor = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fs::remove_all(dir);

  std::printf("convert_bench: autoscale convert --backend onnx, PP-OCRv4 rec (%.1f MB), "
              "-1,3,48,-1 from a saved profile: %zu models, %zu gears (each shape-inferred)\n",
              fs::file_size(rec) / 1e6, files, gear_count);
  std::printf("  autoscale convert: median %.3f s wall, %.3f s CPU (fastest %.3f s) over %d runs\n",
              median.wall, median.cpu, timings.front().wall, runs);
  std::printf("  goal:     under 1.000 s wall: %s\n", median.wall < 1.0 ? "met" : "NOT met");
  std::printf("  baseline: load + save of the unchanged model x%zu in-process: %.3f s\n", files, floor);
  return 0;
}
