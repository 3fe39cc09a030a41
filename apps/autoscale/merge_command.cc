// `autoscale merge A.json B.json ... -o all.json`: one profile from profiles
// saved apart (shards of a dataset read on several machines, several
// datasets), exactly the profile of their union.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "autoscale/command.h"
#include "stats/core/profile_merge.h"

namespace autoscale {

namespace {

struct MergeArgs {
  std::vector<std::string> inputs;
  std::string output;
  bool quiet = false;
};

int RunMerge(const MergeArgs& args) {
  std::vector<NamedProfile> parts;
  for (const std::string& path : args.inputs) {
    auto p = Profile::LoadFile(path);
    if (!p.ok()) {
      std::fprintf(stderr, "autoscale merge: %s\n", p.message().c_str());
      return kExitFailed;
    }
    // Profiles of another model space cannot merge: the inputs are wrong.
    if (!parts.empty()) {
      Status s = CheckMergeable(parts.front().profile, *p, path);
      if (!s.ok()) {
        std::fprintf(stderr, "autoscale merge: %s (first: %s)\n", s.message().c_str(),
                     parts.front().where.c_str());
        return kExitUsage;
      }
    }
    parts.push_back({path, std::move(*p)});
  }
  auto merged = MergeProfiles(parts);
  if (!merged.ok()) {
    std::fprintf(stderr, "autoscale merge: %s\n", merged.message().c_str());
    return kExitUsage;
  }
  Status saved = merged->SaveFile(args.output);
  if (!saved.ok()) {
    std::fprintf(stderr, "autoscale merge: %s\n", saved.message().c_str());
    return kExitFailed;
  }
  if (!args.quiet) {
    const DatasetInfo& d = merged->dataset;
    std::cout << "merged " << parts.size() << " profiles (input shape "
              << merged->input_shape.ToString() << "): " << d.images << " images, " << d.boxes
              << " boxes, " << merged->SampleCount() << " samples -> " << args.output << "\n";
  }
  return kExitOk;
}

}  // namespace

Command AddMergeCommand(CLI::App* parent) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* cmd = parent->add_subcommand(
      "merge", "merge saved profiles (--save_profile) into the profile of their union");
  cmd->add_option("PROFILE", args->inputs,
                  "profiles to merge: the same input shape and limit_side_len")
      ->required();
  cmd->add_option("-o,--output", args->output, "the merged profile (JSON)")->required();
  cmd->add_flag("--quiet,-q", args->quiet, "print nothing but errors");
  Command c;
  c.app = cmd;
  c.run = [args]() -> int { return RunMerge(*args); };
  return c;
}

}  // namespace autoscale
