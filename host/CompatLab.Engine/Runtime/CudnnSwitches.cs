using System.Runtime.InteropServices;

namespace CompatLab.Engine.Runtime;

/// <summary>
/// cuDNN's deterministic and benchmark switches. TorchSharp 0.107 binds neither (its torch.backends.cudnn has only
/// allow_tf32), so they are set on libtorch's global context directly: <c>at::globalContext()</c> and the
/// non-virtual members <c>at::Context::setBenchmarkCuDNN(bool)</c> / <c>setDeterministicCuDNN(bool)</c>, exported
/// by libtorch_cpu.so; on x86-64 Linux a member function is called as a C function with the object first.
/// The switches live in the CPU library, so they can be set and read back on a machine without a GPU.
/// </summary>
public static class CudnnSwitches
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr GlobalContext();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void SetFlag(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool GetFlag(IntPtr context);

    /// <summary>Deterministic: cuDNN picks reproducible kernels, no autotuning. Fast: autotuning (benchmark) on.</summary>
    public static void Apply(bool deterministic)
    {
        Call<SetFlag>("_ZN2at7Context21setDeterministicCuDNNEb")(Context(), deterministic);
        Call<SetFlag>("_ZN2at7Context17setBenchmarkCuDNNEb")(Context(), !deterministic);
    }

    public static (bool Deterministic, bool Benchmark) Read() =>
        (Call<GetFlag>("_ZNK2at7Context18deterministicCuDNNEv")(Context()), Call<GetFlag>("_ZNK2at7Context14benchmarkCuDNNEv")(Context()));

    private static IntPtr Context() => Call<GlobalContext>("_ZN2at13globalContextEv")();

    private static T Call<T>(string symbol)
        where T : Delegate
    {
        // Touching TorchSharp first makes sure libtorch is loaded (bundled or chosen).
        _ = TorchSharp.torch.get_num_threads();
        string library = LibTorchActivation.LoadedLibraries().FirstOrDefault(p => Path.GetFileName(p) == "libtorch_cpu.so")
            ?? throw new InvalidOperationException("libtorch_cpu.so is not loaded");
        var handle = NativeLibrary.Load(library);
        return NativeLibrary.TryGetExport(handle, symbol, out var address)
            ? Marshal.GetDelegateForFunctionPointer<T>(address)
            : throw new InvalidOperationException($"{library} does not export {symbol}: cuDNN switches need libtorch's at::Context API");
    }
}
