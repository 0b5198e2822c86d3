using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Models;

/// <summary>
/// Reads the entry names of a model file written by <c>Module.save</c>, without a model to load it into, so the
/// right model can be built first: a network trained with learned scores has "scores" entries and must be built
/// with them, or the strict load fails.
/// </summary>
public static class SavedModelState
{
    public static IReadOnlyList<string> Keys(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        long count = reader.Read7BitEncodedInt64(); // TorchSharp writes the entry count as unsigned LEB128
        var keys = new List<string>();
        for (long i = 0; i < count; i++)
        {
            keys.Add(reader.ReadString());
            using var scope = NewDisposeScope();
            Tensor.Load(reader);
        }

        return keys;
    }

    /// <summary>Whether the file holds learned scores for maskable layers.</summary>
    public static bool HasScores(string path) => Keys(path).Any(k => k == "scores" || k.EndsWith(".scores", StringComparison.Ordinal));
}
