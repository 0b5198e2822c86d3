using System.Text;

namespace CompatLab.Engine.Weights;

/// <summary>How a weight file's keys fit a model: keys the model has and the file lacks, the reverse, and shape clashes.</summary>
public sealed record WeightReport(
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<(string Key, long[] ModelShape, long[] FileShape)> MisShaped,
    int Loaded)
{
    // Long lists are cut: the first few keys say enough about which architecture the file was.
    private const int KeysShown = 12;

    public bool Clean => Missing.Count == 0 && Unexpected.Count == 0 && MisShaped.Count == 0;

    public string Describe(string path, string target)
    {
        var text = new StringBuilder($"Weight file '{path}' does not fit {target}: {Loaded} keys fit");
        Append(text, "missing from the file", Missing);
        Append(text, "in the file but not in the model", Unexpected);
        Append(text, "of another shape", MisShaped.Select(m => $"{m.Key} (model [{string.Join(", ", m.ModelShape)}], file [{string.Join(", ", m.FileShape)}])").ToList());
        text.Append(". Check that the file is for this backbone and input size; a keyMap renames prefixes, and strict: false loads what fits.");
        return text.ToString();
    }

    private static void Append(StringBuilder text, string what, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0)
        {
            return;
        }

        text.Append($"; {keys.Count} {what}: {string.Join(", ", keys.Take(KeysShown))}");
        if (keys.Count > KeysShown)
        {
            text.Append($", ... ({keys.Count - KeysShown} more)");
        }
    }
}
