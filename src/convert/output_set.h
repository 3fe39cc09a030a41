// The output folder of a conversion, updated as a whole. Everything a run
// writes goes into a hidden staging folder inside the output folder; only
// when every model converted is it moved into place (rename, same file
// system), and what the previous run wrote that the new set lacks is
// removed. The folder is locked (flock on .autoscale.lock) for the whole
// run: a second run into it is refused. The files this tool wrote are
// listed in .autoscale-manifest.json; nothing else in the folder is removed.
//
// The commit order keeps "gears.json matches the model files beside it" even
// if the process is killed halfway: gears.json and scaling_data.json are
// removed first and moved in last, so a folder is either the old set, the
// new set, or models without a gears.json, never models with the wrong one.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace autoscale {

class OutputSet {
 public:
  // Creates and locks `dir`, and removes what runs that died left there:
  // staging folders (the lock proves their owner is gone) and hidden
  // temporary files and folders (".<name>.tmp.<pid>.<n>") of processes that
  // no longer run. With `stage`, makes an empty staging folder. The error
  // when another process holds the lock names it and how to go on.
  static Result<std::unique_ptr<OutputSet>> Open(const std::string& dir, bool stage);

  // Removes the staging folder unless committed; releases the lock.
  ~OutputSet();
  OutputSet(const OutputSet&) = delete;
  OutputSet& operator=(const OutputSet&) = delete;

  const std::string& dir() const { return dir_; }
  // Where the run writes: the staging folder, or dir() without staging.
  const std::string& staging() const { return staging_; }

  // Moves everything in the staging folder into dir(), replacing files and
  // folders of the same name, removes the entries of the previous manifest
  // the new set does not have, and writes the new manifest.
  Status Commit();
  // Moves only the logs (logs/<file>) into dir(), for a run whose models are
  // not kept; the previous set stays as it was.
  Status CommitLogs();

  // `path` under staging() as it is named in dir() (other paths unchanged).
  std::string Final(const std::string& path) const;

  // The entries (relative paths: "<file>", "<folder>", "logs/<file>") the
  // manifest of `dir` lists; entries that are absolute, contain "..", or
  // name the tool's own files are dropped. Empty when there is none.
  static std::vector<std::string> ManifestEntries(const std::string& dir);

  static constexpr const char* kLockName = ".autoscale.lock";
  static constexpr const char* kManifestName = ".autoscale-manifest.json";
  static constexpr const char* kStagingPrefix = ".autoscale-staging.";

 private:
  OutputSet(std::string dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}
  std::vector<std::string> StagedEntries(bool logs_only) const;
  Status MoveIn(const std::string& entry);

  std::string dir_;
  std::string staging_;
  int lock_fd_ = -1;
  bool committed_ = false;
};

}  // namespace autoscale
