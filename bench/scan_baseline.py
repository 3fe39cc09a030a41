#!/usr/bin/env python3
"""The baseline for bench/scan_bench: image sizes of every file under a
folder read with PIL's lazy header parse, Image.open(p).size, in sorted
order. Prints "<images> <failures> <seconds>"; the time excludes the
interpreter's start-up."""
import os
import sys
import time

from PIL import Image


def main() -> None:
    root = sys.argv[1]
    start = time.perf_counter()
    images = failures = 0
    for folder, subfolders, files in os.walk(root):
        subfolders.sort()
        for name in sorted(files):
            try:
                with Image.open(os.path.join(folder, name)) as image:
                    image.size
                images += 1
            except Exception:  # a file PIL cannot read counts, as in the C++ scan
                failures += 1
    print(f"{images} {failures} {time.perf_counter() - start:.6f}")


if __name__ == "__main__":
    main()
