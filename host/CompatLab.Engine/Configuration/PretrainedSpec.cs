using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>Weights a backbone's trunk starts from instead of its random initialisation (docs/backbones.md).</summary>
public sealed class PretrainedSpec
{
    [Description("A state dict for the trunk: .safetensors, or a PyTorch .pt/.pth saved with torch.save(model.state_dict(), ...).")]
    [RequiredValue]
    public string Path { get; set; } = string.Empty;

    [Description("Prefix renames applied to the file's keys, each \"from=>to\" (\"module.=>\" strips DataParallel's prefix). The classifier keys fc.*, classifier.* and heads.* are always left out.")]
    public List<string> KeyMap { get; set; } = new();

    [Description("Refuse the file, with a report of missing, unexpected and mis-shaped keys, unless every trunk key fits; false loads what fits.")]
    public bool Strict { get; set; } = true;
}
