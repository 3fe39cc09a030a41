#!/usr/bin/env python3
"""Reads a dataset's shards on a Dask cluster and chooses gears from them all.

Each shard (a subfolder of the dataset, or a file when it has no subfolder)
is read by `autoscale stats --save_profile` on a worker; the client merges
the profiles with `autoscale merge` into exactly the profile one local run
would build, then chooses and evaluates the gears with `autoscale stats
--profile`.

    python3 examples/dask/shard_stats.py DATASET --input_shape=-1,3,48,-1 \
        --workers 4 --out sharded            # a LocalCluster of 4 processes
    python3 examples/dask/shard_stats.py DATASET --input_shape=-1,3,48,-1 \
        --scheduler tcp://10.0.0.5:8786 --out sharded    # a running cluster

Writes OUT/shards/<k>.json (each shard's profile), OUT/profile.json (the
merged profile) and OUT/stats.json (the gears and their evaluation).
"""

import argparse
import os
import subprocess
import sys
import tempfile


def list_shards(dataset):
    """The dataset's shards: its subfolders, or its files when it has none."""
    entries = sorted(e for e in os.listdir(dataset) if not e.startswith("."))
    paths = [os.path.join(dataset, e) for e in entries]
    folders = [p for p in paths if os.path.isdir(p)]
    if folders:
        ignored = [p for p in paths if not os.path.isdir(p)]
        if ignored:
            print("shard_stats: files beside the shard folders are not read: " +
                  ", ".join(os.path.basename(p) for p in ignored), file=sys.stderr)
        return folders
    return [p for p in paths if os.path.isfile(p)]


def read_shard(autoscale, shard, options):
    """Runs on a worker: the shard's profile as JSON text (no shared output folder needed)."""
    with tempfile.TemporaryDirectory(prefix="autoscale-shard-") as tmp:
        profile = os.path.join(tmp, "profile.json")
        run = subprocess.run([autoscale, "stats", "-q", "--threads", "1", "--dataset_path", shard,
                              "--save_profile", profile] + options,
                             capture_output=True, text=True)
        if run.returncode != 0:
            raise RuntimeError("%s: autoscale stats exited %d: %s" %
                               (shard, run.returncode, run.stderr.strip()))
        with open(profile, encoding="utf-8") as f:
            return f.read()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", help="a folder whose subfolders (or files) are the shards")
    parser.add_argument("--input_shape", required=True, help="N,C,H,W as for autoscale stats")
    parser.add_argument("--out", required=True, help="folder for the profiles and stats.json")
    parser.add_argument("--autoscale", default="autoscale",
                        help="the autoscale binary, the same path on every worker "
                             "(default: autoscale from PATH)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler "
                                            "(default: a LocalCluster)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes")
    parser.add_argument("--dataset_type", default="auto")
    parser.add_argument("--config", help="autoscale config file (read by every worker)")
    parser.add_argument("--set", action="append", default=[], dest="overrides",
                        metavar="KEY=VALUE", help="config override (repeatable)")
    args = parser.parse_args()

    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        sys.exit("shard_stats: needs Dask (Debian: apt-get install python3-dask python3-distributed)")

    autoscale = os.path.abspath(args.autoscale) if os.sep in args.autoscale else args.autoscale
    shards = [os.path.abspath(p) for p in list_shards(args.dataset)]
    if not shards:
        sys.exit("shard_stats: %s: no shard (no subfolder or file)" % args.dataset)
    options = ["--input_shape=" + args.input_shape, "--dataset_type", args.dataset_type]
    if args.config:
        options += ["--config", os.path.abspath(args.config)]
    for assignment in args.overrides:
        options += ["--set", assignment]

    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = [client.submit(read_shard, autoscale, shard, options, key="shard-%d" % k,
                                 pure=False)
                   for k, shard in enumerate(shards)]
        profiles = client.gather(futures)
        workers = {w for who in client.who_has(futures).values() for w in who}
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    os.makedirs(os.path.join(args.out, "shards"), exist_ok=True)
    paths = []
    for k, text in enumerate(profiles):
        path = os.path.join(args.out, "shards", "%d.json" % k)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        paths.append(path)
    print("shard_stats: %d shards read on %d workers" % (len(shards), len(workers)))
    merged = os.path.join(args.out, "profile.json")
    subprocess.run([autoscale, "merge"] + paths + ["-o", merged], check=True)
    stats = [autoscale, "stats", "--profile", merged, "--json", os.path.join(args.out, "stats.json"),
             "--input_shape=" + args.input_shape]
    if args.config:
        stats += ["--config", args.config]
    for assignment in args.overrides:
        stats += ["--set", assignment]
    return subprocess.run(stats).returncode


if __name__ == "__main__":
    sys.exit(main())
