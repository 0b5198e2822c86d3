using System.Collections;
using CompatLab.Abstractions;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace CompatLab.Engine.Weights;

/// <summary>
/// Reads a state dict (name to tensor) that PyTorch or CompatLab wrote: <c>.safetensors</c>, or a
/// <c>torch.save</c> file (<c>.pt</c>, <c>.pth</c>, <c>.bin</c>) holding a state dict, possibly wrapped in a
/// checkpoint dict under "state_dict", "model" or "model_state_dict". Tensors come back on the CPU.
/// </summary>
public static class StateDictFile
{
    private static readonly string[] WrapperKeys = ["state_dict", "model_state_dict", "model"];

    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CompatLabUserException($"Weight file '{path}' does not exist.");
        }

        return Path.GetExtension(path).Equals(".safetensors", StringComparison.OrdinalIgnoreCase)
            ? ReadSafetensors(path)
            : ReadPickled(path);
    }

    private static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        try
        {
            return Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is not CompatLabUserException)
        {
            throw new CompatLabUserException($"Weight file '{path}' is not a readable safetensors file: {e.Message}");
        }
    }

    private static Dictionary<string, Tensor> ReadPickled(string path)
    {
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not CompatLabUserException)
        {
            throw new CompatLabUserException(
                $"Weight file '{path}' could not be read as a PyTorch state dict ({e.GetType().Name}: {e.Message}). " +
                "It may hold a whole pickled model rather than its weights: in Python, save the weights with " +
                "torch.save(model.state_dict(), 'weights.pt') and give that file.");
        }

        return Flatten(table, path);
    }

    private static Dictionary<string, Tensor> Flatten(Hashtable table, string path)
    {
        if (table.Count > 0 && table.Values.Cast<object?>().All(v => v is Tensor))
        {
            return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
        }

        foreach (string key in WrapperKeys)
        {
            if (table[key] is Hashtable inner)
            {
                return Flatten(inner, path);
            }
        }

        string keys = string.Join(", ", table.Keys.Cast<object>().Take(10));
        throw new CompatLabUserException(
            $"Weight file '{path}' holds a dict that is not a state dict (top-level keys: {keys}). Save the model's weights " +
            "with torch.save(model.state_dict(), 'weights.pt'), or put them under \"state_dict\" in a checkpoint dict.");
    }
}
