using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>
/// The address of a CPU tensor's first element, for the few loops that write tensor memory themselves
/// (<see cref="InterleavedPixels"/>). TorchSharp keeps the address internal; its native shim exports it
/// (THSTensor_data, libtorch's data_ptr: storage offset included), and the shim is already loaded when a tensor exists,
/// so looking it up by name finds that copy. Where the lookup fails, <see cref="Available"/> is false and callers take
/// their libtorch path.
/// </summary>
internal static unsafe class TensorMemory
{
    private static readonly string[] ShimNames = ["libLibTorchSharp.so", "libLibTorchSharp.dylib", "LibTorchSharp.dll"];
    private static readonly delegate* unmanaged<IntPtr, IntPtr> DataOf = Load();

    public static bool Available => DataOf != null;

    /// <summary>The first element of <paramref name="tensor"/> (CPU only; the tensor must outlive every use).</summary>
    public static T* Address<T>(Tensor tensor)
        where T : unmanaged
    {
        if (DataOf == null || tensor.device_type != DeviceType.CPU)
        {
            throw new InvalidOperationException("tensor memory is addressable only for CPU tensors, with TorchSharp's shim loaded");
        }

        var address = DataOf(tensor.Handle);
        return address != IntPtr.Zero ? (T*)address : throw new InvalidOperationException("libtorch gave no address for the tensor's memory");
    }

    private static delegate* unmanaged<IntPtr, IntPtr> Load()
    {
        using (empty(0))
        {
            // Makes sure TorchSharp has loaded its shim before it is looked up.
        }

        foreach (string name in ShimNames)
        {
            if (NativeLibrary.TryLoad(name, out IntPtr library) && NativeLibrary.TryGetExport(library, "THSTensor_data", out IntPtr export))
            {
                return (delegate* unmanaged<IntPtr, IntPtr>)export;
            }
        }

        return null;
    }
}
