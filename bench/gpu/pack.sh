#!/usr/bin/env bash
# Packs the CLI for a GPU machine that has PyTorch but no .NET: the published app without the bundled CPU libtorch
# (the machine's PyTorch provides libtorch; a bundled copy would load beside it) and a copy of the .NET runtime.
# Output: .gpu/cli.tar.xz (git-ignored), about 30 MB. bench/gpu/run.sh unpacks and uses it.
# Usage: bench/gpu/pack.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/.gpu"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out"

# Framework-dependent publish keeps natives under runtimes/linux-x64/native, where the build patches the shim for
# Debian 12 (harmless elsewhere), so the same pack also runs `run.sh --dry` on this machine. The bench program
# references the CLI, so its publish holds both compatlab.dll and compatlab-bench.dll.
dotnet publish "$root/bench/CompatLab.Bench/CompatLab.Bench.csproj" -c Release -o "$stage/app" -nologo -v quiet -clp:ErrorsOnly
cp -r "$root/bench/CompatLab.Bench/bin/Release/net10.0/plugins" "$stage/app/"
rm -rf "$stage/app/cpu"  # TorchSharp's fallback copy of a libtorch (480 MB), present only after a failed load
find "$stage/app/runtimes" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
native="$stage/app/runtimes/linux-x64/native"
find "$native" -type f ! -name libLibTorchSharp.so ! -name libSkiaSharp.so ! -name libHarfBuzzSharp.so -delete
find "$stage/app/plugins" -type d -name runtimes -prune -exec rm -rf {} +

# The .NET runtime the app was built for: the dotnet host, hostfxr and the shared framework.
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
framework="$(dotnet --list-runtimes | awk '$1 == "Microsoft.NETCore.App" && $2 ~ /^10\./ { v = $2 } END { print v }')"
mkdir -p "$stage/dotnet/shared/Microsoft.NETCore.App"
cp "$dotnet_root/dotnet" "$stage/dotnet/"
cp -r "$dotnet_root/host" "$stage/dotnet/"
cp -r "$dotnet_root/shared/Microsoft.NETCore.App/$framework" "$stage/dotnet/shared/Microsoft.NETCore.App/"

tar -C "$stage" -cf - app dotnet | xz -T2 -6 > "$out/cli.tar.xz"
echo "packed $(du -h "$out/cli.tar.xz" | cut -f1) to $out/cli.tar.xz (.NET $framework, commit $(git -C "$root" rev-parse --short HEAD))"
