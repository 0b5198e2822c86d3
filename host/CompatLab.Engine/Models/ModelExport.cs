using System.Text.Json.Nodes;
using CompatLab.Engine.Tracking;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CompatLab.Engine.Models;

/// <summary>
/// Writes a trained embedding network for PyTorch: its dense weights as safetensors (trunk.* in the backbone's
/// layout, torchvision's for the torchvision backbones; projector.* a Linear; projector_norm.* a BatchNorm1d) and
/// a JSON description beside it; with its classifier (classifier.weight, and classifier.bias when linear) the file
/// is also a whole model that <c>old.checkpoint</c> loads back. PrunNet's scores stay out: the exported network is
/// the dense one.
/// </summary>
public static class ModelExport
{
    public static string DescriptionPath(string weightsPath) => Path.ChangeExtension(weightsPath, ".json");

    public static void Write(EmbeddingNetwork network, string weightsPath, JsonObject description, ClassifierHead? classifier = null)
    {
        using var scope = NewDisposeScope();
        var state = network.state_dict()
            .Where(e => !e.Key.EndsWith(".scores", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => e.Value.detach().cpu().contiguous());
        foreach (var (key, value) in classifier?.state_dict() ?? [])
        {
            state[OldModelCheckpoint.ClassifierPrefix + key] = value.detach().cpu().contiguous();
        }

        string? folder = Path.GetDirectoryName(Path.GetFullPath(weightsPath));
        Directory.CreateDirectory(folder!);
        string staging = weightsPath + ".partial";
        using (var stream = File.Create(staging))
        {
            Safetensors.SaveStateDict(stream, state, leaveOpen: true);
        }

        File.Move(staging, weightsPath, overwrite: true);
        description["weights"] = Path.GetFileName(weightsPath);
        description["featureDim"] = network.Trunk.OutputDim;
        description["embeddingDim"] = network.EmbeddingDim;
        description["layout"] = "trunk.* = the backbone's trunk (torchvision's module names for its backbones, classifier left out); " +
            "projector.* = Linear(featureDim, embeddingDim); projector_norm.* = BatchNorm1d(embeddingDim); embeddings = projector_norm(projector(trunk(x)))" +
            (classifier is null ? string.Empty : "; classifier.* = the classifier head (weight [classes, embeddingDim], bias when linear), not part of the embedding");
        AtomicFile.WriteAllText(DescriptionPath(weightsPath), description.ToJsonString(JsonFormats.Indented));
    }
}
