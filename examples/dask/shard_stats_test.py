#!/usr/bin/env python3
"""Checks shard_stats.py on a LocalCluster of several workers: the merged
profile of the shards equals the profile of one local run over the whole
dataset, and so do the gears chosen from it.

    shard_stats_test.py AUTOSCALE SOURCE_DIR

Exits 77 (skipped) when Dask is not installed.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77


def profile_without_origin(path):
    with open(path, encoding="utf-8") as f:
        profile = json.load(f)
    del profile["dataset"]  # where it was read from, not what it holds
    return profile


def main():
    autoscale, source = sys.argv[1], sys.argv[2]
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        print("skipped: Dask is not installed for %s (Debian: apt-get install python3-dask "
              "python3-distributed)" % sys.executable)
        return SKIP
    with tempfile.TemporaryDirectory(prefix="shard-stats-test-") as tmp:
        dataset = os.path.join(tmp, "dataset")
        for shard in ("receipts", "scenes", "words"):
            shutil.copytree(os.path.join(source, "data/samples/images", shard),
                            os.path.join(dataset, shard))
        shape = "--input_shape=1,3,-1,-1"
        config = os.path.join(source, "configs/auto_scaling.yaml")
        out = os.path.join(tmp, "sharded")
        subprocess.run([sys.executable, os.path.join(source, "examples/dask/shard_stats.py"),
                        dataset, shape, "--autoscale", autoscale, "--workers", "3", "--out", out,
                        "--config", config, "--set", "limit_side_len=960"], check=True)
        local = os.path.join(tmp, "local")
        os.makedirs(local)
        subprocess.run([autoscale, "stats", "-q", "--dataset_path", dataset, shape, "--config",
                        config, "--set", "limit_side_len=960", "--save_profile",
                        os.path.join(local, "profile.json"), "--json",
                        os.path.join(local, "stats.json")], check=True)
        sharded_profile = profile_without_origin(os.path.join(out, "profile.json"))
        local_profile = profile_without_origin(os.path.join(local, "profile.json"))
        if sharded_profile != local_profile:
            print("FAIL: the merged profile of the shards differs from the local one")
            return 1
        if len(os.listdir(os.path.join(out, "shards"))) != 3:
            print("FAIL: expected one profile per shard")
            return 1
        with open(os.path.join(out, "stats.json"), encoding="utf-8") as f:
            sharded = json.load(f)
        with open(os.path.join(local, "stats.json"), encoding="utf-8") as f:
            whole = json.load(f)
        for key in ("gears", "evaluation"):
            if sharded[key] != whole[key]:
                print("FAIL: %s differs from the local run's" % key)
                return 1
        print("ok: 3 shards on 3 workers give the local profile (%d samples) and gears"
              % local_profile["samples"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
