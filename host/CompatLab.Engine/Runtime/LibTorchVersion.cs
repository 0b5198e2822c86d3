using System.Text.RegularExpressions;

namespace CompatLab.Engine.Runtime;

/// <summary>
/// The version of a chosen libtorch: a PyTorch installation writes it to torch/version.py (beside torch/lib); the
/// bundled one is the libtorch TorchSharp is built for (the package version TorchSharp reports).
/// </summary>
public static partial class LibTorchVersion
{
    public static string Describe(LibTorchChoice choice)
    {
        if (choice.IsBundled)
        {
            return $"{TorchSharp.torch.__version__} (bundled with TorchSharp {LibTorchActivation.TorchSharpVersion()})";
        }

        string file = Path.Combine(Path.GetDirectoryName(choice.Folder!.TrimEnd('/'))!, "version.py");
        return File.Exists(file) ? FromVersionFile(File.ReadAllText(file)) : "unknown (no torch/version.py beside the lib folder)";
    }

    /// <summary>"2.11.0+cu130 (CUDA 13.0)" from version.py's __version__ and cuda lines.</summary>
    public static string FromVersionFile(string text)
    {
        string version = VersionLine().Match(text) is { Success: true } v ? v.Groups[1].Value : "unknown";
        string cuda = CudaLine().Match(text) is { Success: true } c ? $"CUDA {c.Groups[1].Value}" : "no CUDA";
        return $"{version} ({cuda})";
    }

    [GeneratedRegex(@"^__version__\s*=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^cuda\s*(?::[^=]*)?=\s*['""]([^'""]+)['""]", RegexOptions.Multiline)]
    private static partial Regex CudaLine();
}
