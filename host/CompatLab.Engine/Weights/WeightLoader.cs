using CompatLab.Abstractions;
using static TorchSharp.torch;

namespace CompatLab.Engine.Weights;

/// <summary>
/// Copies a state dict into a module by key, after checking every key: with <c>strict</c>, any missing,
/// unexpected or mis-shaped key refuses the whole file (nothing is copied) with the key report; without, what fits
/// is copied and the report is returned for the log. PrunNet's scores are never expected from a file.
/// </summary>
public static class WeightLoader
{
    public static WeightReport Load(nn.Module target, string path, WeightKeyMap keyMap, bool strict, string targetName)
    {
        var file = StateDictFile.Read(path);
        try
        {
            return Load(target, file, keyMap, strict, path, targetName);
        }
        finally
        {
            foreach (var tensor in file.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <param name="notRequired">Model keys the file may leave out (they keep their initialisation); PrunNet's scores always may.</param>
    public static WeightReport Load(
        nn.Module target, IReadOnlyDictionary<string, Tensor> file, WeightKeyMap keyMap, bool strict, string path, string targetName, Func<string, bool>? notRequired = null)
    {
        var model = target.state_dict();
        var mapped = new Dictionary<string, Tensor>();
        var unexpected = new List<string>();
        foreach (var (key, tensor) in file)
        {
            string? modelKey = keyMap.Map(key);
            if (modelKey is null)
            {
                continue;
            }

            if (model.ContainsKey(modelKey))
            {
                mapped[modelKey] = tensor;
            }
            else
            {
                unexpected.Add(key);
            }
        }

        var missing = model.Keys.Where(k => !mapped.ContainsKey(k) && !IsScores(k) && notRequired?.Invoke(k) != true).ToList();
        var misShaped = mapped.Where(m => !Fits(model[m.Key], m.Value)).Select(m => (m.Key, model[m.Key].shape, m.Value.shape)).ToList();
        unexpected.Sort(StringComparer.Ordinal); // a pickled dict has no order; sorted keys make reports comparable
        var report = new WeightReport(missing, unexpected, misShaped, mapped.Count - misShaped.Count);
        if (strict && !report.Clean)
        {
            throw new CompatLabUserException(report.Describe(path, targetName));
        }

        using var noGrad = no_grad();
        foreach (var (key, tensor) in mapped.Where(m => Fits(model[m.Key], m.Value)))
        {
            var destination = model[key];
            using var converted = tensor.to(destination.dtype, destination.device).reshape(destination.shape);
            destination.copy_(converted);
        }

        return report;
    }

    // PrunNet's learned scores are CompatLab's own; a PyTorch file never has them, and they keep their initialisation.
    private static bool IsScores(string key) => key == "scores" || key.EndsWith(".scores", StringComparison.Ordinal);

    // torch.save writes a 0-d tensor (num_batches_tracked) that the unpickler reads back with shape [1].
    private static bool Fits(Tensor model, Tensor file) =>
        model.shape.SequenceEqual(file.shape) || (model.numel() == 1 && file.numel() == 1);
}
