using System.Runtime.InteropServices;
using CompatLab.Engine.Runtime;

namespace CompatLab.Engine.Devices;

/// <summary>One CUDA device as the CUDA runtime describes it.</summary>
public sealed record CudaDeviceInfo(int Index, string Name, long FreeBytes, long TotalBytes);

/// <summary>
/// Versions and devices read from the CUDA runtime and cuDNN libraries libtorch has loaded (TorchSharp binds no
/// device name or memory query). Everything here is optional: a missing library or export reads as unknown.
/// </summary>
public static class CudaRuntimeInfo
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int IntOut(out int value);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetDevice(int device);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MemGetInfo(out nuint free, out nuint total);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int DeviceProperties(IntPtr properties, int device);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nuint CudnnVersion();

    /// <summary>cudaDeviceProp is about 1 KB; it starts with the device name (char[256]).</summary>
    private const int PropertiesBuffer = 8192;

    public static string RuntimeVersion() => Version("libcudart", "cudaRuntimeGetVersion");

    public static string DriverVersion() => Version("libcudart", "cudaDriverGetVersion");

    public static string CudnnVersionText()
    {
        var get = Export<CudnnVersion>("libcudnn.so", "cudnnGetVersion");
        return get is null ? "not loaded" : get().ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public static IReadOnlyList<CudaDeviceInfo> Devices(int count)
    {
        var set = Export<SetDevice>("libcudart", "cudaSetDevice");
        var memory = Export<MemGetInfo>("libcudart", "cudaMemGetInfo");
        var properties = PropertiesExport();
        var devices = new List<CudaDeviceInfo>();
        for (int i = 0; i < count; i++)
        {
            string name = Name(properties, i) ?? "unknown";
            long free = -1;
            long total = -1;
            if (set is not null && memory is not null && set(i) == 0 && memory(out nuint f, out nuint t) == 0)
            {
                (free, total) = ((long)f, (long)t);
            }

            devices.Add(new CudaDeviceInfo(i, name, free, total));
        }

        set?.Invoke(0);
        return devices;
    }

    /// <summary>One device's name, without making it the current device (a run's records ask while it trains); null when unknown.</summary>
    public static string? DeviceName(int index) => Name(PropertiesExport(), index);

    private static DeviceProperties? PropertiesExport() =>
        Export<DeviceProperties>("libcudart", "cudaGetDeviceProperties_v2") ?? Export<DeviceProperties>("libcudart", "cudaGetDeviceProperties");

    private static string? Name(DeviceProperties? properties, int index)
    {
        if (properties is null)
        {
            return null;
        }

        IntPtr buffer = Marshal.AllocHGlobal(PropertiesBuffer);
        try
        {
            return properties(buffer, index) == 0 ? Marshal.PtrToStringUTF8(buffer) : null;
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    /// <summary>CUDA encodes versions as 1000*major + 10*minor.</summary>
    public static string FormatCudaVersion(int encoded) => $"{encoded / 1000}.{encoded % 1000 / 10}";

    private static string Version(string library, string symbol)
    {
        var get = Export<IntOut>(library, symbol);
        return get is not null && get(out int value) == 0 ? FormatCudaVersion(value) : "unknown";
    }

    private static T? Export<T>(string libraryPrefix, string symbol)
        where T : Delegate
    {
        string? path = LibTorchActivation.LoadedLibraries().FirstOrDefault(p => Path.GetFileName(p).StartsWith(libraryPrefix, StringComparison.Ordinal));
        if (path is null || !NativeLibrary.TryLoad(path, out var handle) || !NativeLibrary.TryGetExport(handle, symbol, out var address))
        {
            return null;
        }

        return Marshal.GetDelegateForFunctionPointer<T>(address);
    }
}
