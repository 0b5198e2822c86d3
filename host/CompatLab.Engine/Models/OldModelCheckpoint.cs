using CompatLab.Abstractions;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Weights;
using static TorchSharp.torch;

namespace CompatLab.Engine.Models;

/// <summary>
/// Loads <c>old.checkpoint</c> into a freshly built old model. A PyTorch or safetensors file is read in the layout
/// <c>compatlab export</c> writes (trunk.*, projector.*, projector_norm.*, classifier.*), or as a whole
/// RetrievalModel's state dict (the same keys under network.), strictly: any missing, unexpected or mis-shaped key
/// refuses the file with the key report. The classifier may be left out. A CompatLab model file (.bin, not a zip)
/// is TorchSharp's own format and loads as the run's old model does.
/// </summary>
public static class OldModelCheckpoint
{
    public const string ClassifierPrefix = "classifier.";
    private const string Target = "the old model built from the model section (old.checkpoint.path)";
    private static readonly string[] NetworkPrefixes = ["trunk.", "projector.", "projector_norm."];

    /// <summary>Loads the file; false when it holds no classifier, which then keeps its seeded initialisation.</summary>
    public static bool LoadInto(RetrievalModel model, OldCheckpointSpec spec)
    {
        if (IsCompatLabModelFile(spec.Path))
        {
            LoadCompatLabFile(model, spec.Path);
            return true;
        }

        var keyMap = new WeightKeyMap(WeightKeyMap.ParseRules(spec.KeyMap, "old.checkpoint.keyMap"), ignoredPrefixes: [], ToModelKey);
        var file = StateDictFile.Read(spec.Path);
        try
        {
            bool hasClassifier = file.Keys.Any(k => keyMap.Map(k)!.StartsWith(ClassifierPrefix, StringComparison.Ordinal));
            Func<string, bool>? classifierOptional = hasClassifier ? null : k => k.StartsWith(ClassifierPrefix, StringComparison.Ordinal);
            WeightLoader.Load(model, file, keyMap, strict: true, spec.Path, Target, classifierOptional);
            return hasClassifier;
        }
        finally
        {
            foreach (var tensor in file.Values)
            {
                tensor.Dispose();
            }
        }
    }

    // The export layout is the embedding network's; inside a RetrievalModel the network sits under "network.".
    private static string ToModelKey(string key) =>
        NetworkPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) ? "network." + key : key;

    // PyTorch writes zip archives (.bin included, as Hugging Face names them); CompatLab's .bin files are TorchSharp's format.
    private static bool IsCompatLabModelFile(string path)
    {
        if (!Path.GetExtension(path).Equals(".bin", StringComparison.OrdinalIgnoreCase) || !File.Exists(path))
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.Read(magic) < 4 || !magic.SequenceEqual("PK\u0003\u0004"u8);
    }

    private static void LoadCompatLabFile(RetrievalModel model, string path)
    {
        try
        {
            model.load(path, strict: true);
        }
        catch (Exception e) when (e is not CompatLabUserException)
        {
            throw new CompatLabUserException(
                $"CompatLab model file '{path}' (old.checkpoint.path) does not fit {Target}: {e.Message}. It must come from a run with the same " +
                "model section and old classes; a PyTorch file must end in .pt/.pth, a safetensors file in .safetensors.");
        }
    }
}
