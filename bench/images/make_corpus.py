#!/usr/bin/python3
"""Tiles photos into 500x375 JPEGs (quality 90) and writes list.csv; called by make-corpus.sh."""
import argparse
import csv
import glob
import os
import re

from PIL import Image, ImageOps

TILE_W, TILE_H, QUALITY = 500, 375, 90
# Each photo is tiled at full size and at two smaller scales, on a grid with half-tile overlap, so a few dozen
# photos give thousands of distinct tiles with both fine and coarse detail.
SCALES = (1.0, 0.7, 0.45)


def sources():
    """(label, path) of every photo: the largest JPEG of each Plasma wallpaper, MATE's nature photos, OpenCV's examples."""
    found = []
    for folder in sorted(glob.glob("/usr/share/wallpapers/*/contents/images")):
        jpegs = glob.glob(os.path.join(folder, "*.jpg"))
        if jpegs:
            largest = max(jpegs, key=lambda p: int(re.match(r"(\d+)x", os.path.basename(p)).group(1)))
            found.append(("plasma-" + folder.split("/")[4], largest))
    for path in sorted(glob.glob("/usr/share/backgrounds/mate/nature/*.jpg")):
        found.append(("mate-" + os.path.splitext(os.path.basename(path))[0], path))
    for path in sorted(glob.glob("/usr/share/doc/opencv-doc/examples/data/*.jpg")):
        found.append(("opencv-" + os.path.splitext(os.path.basename(path))[0], path))
    return [(re.sub(r"[^A-Za-z0-9_-]", "_", label), path) for label, path in found]


def windows(width, height):
    """Top-left corners of the half-overlapping tile grid that fits the image."""
    for top in range(0, height - TILE_H + 1, TILE_H // 2):
        for left in range(0, width - TILE_W + 1, TILE_W // 2):
            yield left, top


def all_tiles(photos):
    """(label, path, scale, left, top) for every tile, in a fixed order."""
    tiles = []
    for label, path in photos:
        with Image.open(path) as image:
            width, height = image.size
        for scale in SCALES:
            w, h = int(width * scale), int(height * scale)
            tiles.extend((label, path, scale, left, top) for left, top in windows(w, h))
    return tiles


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    photos = sources()
    tiles = all_tiles(photos)
    step = max(1.0, len(tiles) / args.count)
    chosen = [tiles[int(i * step)] for i in range(min(args.count, len(tiles)))]
    rows, current, scaled = [], None, {}
    for number, (label, path, scale, left, top) in enumerate(chosen):
        if current != path:  # tiles of one photo are consecutive: keep only its scaled copies in memory
            current = path
            with Image.open(path) as image:
                upright = ImageOps.exif_transpose(image).convert("RGB")
            scaled = {s: upright.resize((int(upright.width * s), int(upright.height * s)), Image.BICUBIC) for s in SCALES}
        relative = os.path.join("tiles", label, f"{number:05d}.jpg")
        os.makedirs(os.path.join(args.out, "tiles", label), exist_ok=True)
        scaled[scale].crop((left, top, left + TILE_W, top + TILE_H)).save(os.path.join(args.out, relative), quality=QUALITY)
        rows.append((relative, label))

    with open(os.path.join(args.out, "list.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "label"])
        writer.writerows(rows)
    labels = len({label for _, label in rows})
    tiled = len({path for _, path, _, _, _ in tiles})
    print(f"make-corpus: {len(rows)} tiles of {TILE_W}x{TILE_H} (quality {QUALITY}) from {tiled} photos large enough "
          f"({len(tiles)} tiles possible), {labels} labels, in {args.out}; list: {os.path.join(args.out, 'list.csv')}")


if __name__ == "__main__":
    main()
