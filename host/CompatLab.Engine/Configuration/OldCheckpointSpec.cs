using System.ComponentModel;
using System.Security.Cryptography;

namespace CompatLab.Engine.Configuration;

/// <summary>A weight file that is the old model, loaded instead of training one (docs/backbones.md, "An old model from PyTorch").</summary>
public sealed class OldCheckpointSpec : IValidatedSpec
{
    [Description("The old model's weights: .safetensors, a PyTorch .pt/.pth state dict, or a CompatLab model file (.bin); relative to the working directory.")]
    [RequiredValue]
    public string Path { get; set; } = string.Empty;

    [Description("Prefix renames applied to the file's keys first, each \"from=>to\" (\"module.=>\" strips DataParallel's prefix).")]
    public List<string> KeyMap { get; set; } = new();

    [Description("The file's SHA-256, filled in when the run starts (so a changed file gives another run); when given, the file must match it.")]
    public string Sha256 { get; set; } = string.Empty;

    // Checked while the configuration is read, so a wrong path is reported before any data is loaded or trained.
    // The digest is filled in here, where the file is first read, so the resolved configuration, and with it the
    // run's content hash and manifest, names the weights and not only their path.
    public void Validate(SpecProblems problems)
    {
        if (Path.Length > 0 && !File.Exists(Path))
        {
            problems.Add("path", $"file '{Path}' not found (looked for {System.IO.Path.GetFullPath(Path)}; a relative path is read from the working directory)");
        }
        else if (Path.Length > 0)
        {
            string digest = Digest(Path);
            problems.Require(
                Sha256.Length == 0 || Sha256.Equals(digest, StringComparison.OrdinalIgnoreCase),
                "sha256",
                $"'{Path}' has SHA-256 {digest}, not the {Sha256} given: the file changed since that configuration was written");
            Sha256 = digest;
        }

        foreach (string rule in KeyMap.Where(r => !r.Contains("=>", StringComparison.Ordinal) || r.StartsWith("=>", StringComparison.Ordinal)))
        {
            problems.Add("keyMap", $"entry '{rule}' is not a prefix rename: write \"from=>to\" (\"module.=>\" strips the prefix module.)");
        }
    }

    private static string Digest(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
