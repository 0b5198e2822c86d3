using System.Text;
using CompatLab.Abstractions;
using CompatLab.Abstractions.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Pruning;

/// <summary>
/// A pruned model on disk, in a folder of two files: <c>model.bin</c>, the model's state (TorchSharp format) with
/// every pruned weight set to zero and the BatchNorm statistics of the subnetwork, and <c>masks.bin</c>, the 0/1
/// mask of every masked layer by layer name (same format). Loading both into a model built like the original and
/// applying the masks gives the subnetwork back exactly.
/// </summary>
public static class PrunedModelFiles
{
    public const string ModelFile = "model.bin";
    public const string MasksFile = "masks.bin";

    /// <summary>Writes the model as it is now under <paramref name="masks"/> (the masks set on its layers).</summary>
    public static void Save(nn.Module model, LayerMasks masks, string folder)
    {
        Directory.CreateDirectory(folder);
        var layers = MaskableLayers.In(model);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var state = model.state_dict();
        var pruned = new Dictionary<string, Tensor>(state);
        var byLayer = new Dictionary<string, Tensor>();
        for (int l = 0; l < layers.Count; l++)
        {
            string weightKey = layers[l].LayerName + ".weight";
            if (!pruned.ContainsKey(weightKey))
            {
                throw new InvalidOperationException($"layer '{layers[l].LayerName}' has no state entry '{weightKey}'; name the maskable layers before saving");
            }

            pruned[weightKey] = layers[l].Weight.mul(masks.Kept[l]);
            byLayer[layers[l].LayerName] = masks.Kept[l].to(ScalarType.Byte);
        }

        Write(Path.Combine(folder, ModelFile), pruned);
        Write(Path.Combine(folder, MasksFile), byLayer);
    }

    /// <summary>Loads the pruned state into <paramref name="model"/> and sets its masks until the result is disposed.</summary>
    public static LayerMasks Load(nn.Module model, string folder)
    {
        model.load(Path.Combine(folder, ModelFile));
        var masks = ReadMasks(Path.Combine(folder, MasksFile));
        var layers = MaskableLayers.In(model);
        try
        {
            var ordered = layers.Select(layer => masks.Remove(layer.LayerName, out var mask)
                ? mask.to(layer.Weight.dtype, layer.Weight.device, copy: true)
                : throw new CompatLabUserException($"{Path.Combine(folder, MasksFile)}: no mask for layer '{layer.LayerName}'; the model was built differently")).ToList();
            if (masks.Count > 0)
            {
                throw new CompatLabUserException($"{Path.Combine(folder, MasksFile)}: masks for layers the model does not have: {string.Join(", ", masks.Keys)}");
            }

            return LayerMasks.Apply(layers, ordered);
        }
        finally
        {
            foreach (var mask in masks.Values)
            {
                mask.Dispose();
            }
        }
    }

    /// <summary>The masks file as layer name to 0/1 mask (uint8).</summary>
    public static Dictionary<string, Tensor> ReadMasks(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        long count = reader.Read7BitEncodedInt64(); // TorchSharp writes the entry count as unsigned LEB128
        var masks = new Dictionary<string, Tensor>();
        for (long i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            masks[name] = Tensor.Load(reader).DetachFromDisposeScope();
        }

        return masks;
    }

    private static void Write(string path, Dictionary<string, Tensor> state)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            nn.Module.save_state_dict(writer, state);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
