using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>
/// Reads a module's weights (TorchSharp's <c>Module.save</c> format) into the tensors it already has, on whatever
/// device they live. TorchSharp's own <c>Module.load</c> first moves a non-CPU module to the CPU and back, which
/// replaces every Parameter object: an optimiser built before the load then holds disposed parameters, and resuming
/// a checkpoint on a GPU failed with "Tensor invalid -- empty handle". Copying in place keeps the parameters the
/// optimiser knows.
/// </summary>
public static class InPlaceModuleLoad
{
    public static void Load(nn.Module module, BinaryReader reader)
    {
        var state = module.state_dict();
        long entries = reader.Read7BitEncodedInt64(); // TorchSharp writes the count as a 7-bit encoded integer
        if (entries != state.Count)
        {
            throw new InvalidDataException($"the checkpoint holds {entries} weights and buffers, the model has {state.Count}");
        }

        using var noGrad = no_grad();
        for (long i = 0; i < entries; i++)
        {
            string key = reader.ReadString();
            if (!state.TryGetValue(key, out var target))
            {
                throw new InvalidDataException($"the checkpoint has '{key}', which the model does not");
            }

            target.Load(reader);
        }
    }
}
