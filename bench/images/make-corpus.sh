#!/usr/bin/env bash
# Cuts real photographs from Debian packages into JPEG tiles for the image-pipeline benchmark (issue #14,
# "Performance"): bench/images/make-corpus.sh [COUNT] [OUT]
#   COUNT  tiles to keep (default 3000), spread evenly over all the tiles the photos give
#   OUT    folder to write (default bench/out/images, git-ignored); it is replaced
# Writes OUT/tiles/<photo>/<nnnn>.jpg (500x375, quality 90) and OUT/list.csv (path,label; the label is the source
# photo), which the image-list dataset plugin reads. Sources: the JPEG photos of plasma-workspace-wallpapers (the
# largest size of each), mate-backgrounds' nature photos and opencv-doc's example images (those at least one tile
# large); the PNG wallpapers are rendered art and left out. Installs the packages (and python3-pil) when missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
count="${1:-3000}"
out="${2:-$root/bench/out/images}"

missing=()
for package in plasma-workspace-wallpapers mate-backgrounds opencv-doc python3-pil; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "make-corpus: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi

rm -rf "$out"
mkdir -p "$out"
/usr/bin/python3 "$root/bench/images/make_corpus.py" --count "$count" --out "$out"
