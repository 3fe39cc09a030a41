#!/usr/bin/env python3
"""The baseline for bench/label_bench: a det label file read the way Python
tools read it, one json.loads per line, over its first LIMIT bytes. Counts
the points so the parse is not optimised away. Prints
"<bytes> <lines> <boxes> <seconds>"; the time excludes the interpreter's
start-up."""
import json
import sys
import time


def main() -> None:
    path, limit = sys.argv[1], int(sys.argv[2])
    start = time.perf_counter()
    done = lines = boxes = 0
    with open(path, "rb") as f:
        for raw in f:
            if done + len(raw) > limit:
                break
            done += len(raw)
            lines += 1
            text = raw.decode("utf-8").rstrip("\r\n")
            if not text.strip():
                continue
            _, _, labels = text.partition("\t")
            for box in json.loads(labels):
                boxes += len(box["points"]) > 0
    print(f"{done} {lines} {boxes} {time.perf_counter() - start:.6f}")


if __name__ == "__main__":
    main()
