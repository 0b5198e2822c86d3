using System.Runtime.InteropServices;

namespace CompatLab.Engine.Runtime;

/// <summary>
/// A debugging switch of libtorch's CPU allocator: fill every new block with a NaN pattern (or zeros) before it is
/// handed out. Code that reads memory it never wrote then produces NaN on every machine, instead of numbers that
/// depend on what freed memory happened to hold (the test suite runs with "nan"; docs/reliability.md).
/// Set with <see cref="Variable"/>; it takes effect once libtorch is loaded.
/// </summary>
public static class FreshMemoryFill
{
    /// <summary>"nan" or "zero"; anything else, or unset, leaves new memory as the allocator gives it.</summary>
    public const string Variable = "COMPATLAB_FRESH_MEMORY";

    private const int RtldLazy = 1;
    private const int RtldNoLoad = 4;

    /// <summary>Applies the setting named by <see cref="Variable"/>; returns what is in force ("nan", "zero" or "none").</summary>
    public static string ApplyFromEnvironment()
    {
        string value = Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() ?? string.Empty;
        return value is "nan" or "zero" && Apply(nan: value == "nan", zero: value == "zero") ? value : "none";
    }

    /// <summary>Sets libc10's allocator flags; false where the loaded libtorch has none (other builds, not Linux).</summary>
    public static bool Apply(bool nan, bool zero)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // Loaded with TorchSharp's first call; RTLD_NOLOAD finds it by its soname without loading a second copy.
        _ = TorchSharp.torch.get_num_threads();
        IntPtr library = dlopen("libc10.so", RtldLazy | RtldNoLoad);
        if (library == IntPtr.Zero)
        {
            return false;
        }

        IntPtr junkFlag = dlsym(library, "FLAGS_caffe2_cpu_allocator_do_junk_fill");
        IntPtr zeroFlag = dlsym(library, "FLAGS_caffe2_cpu_allocator_do_zero_fill");
        if (junkFlag == IntPtr.Zero || zeroFlag == IntPtr.Zero)
        {
            return false;
        }

        Marshal.WriteByte(junkFlag, nan ? (byte)1 : (byte)0);
        Marshal.WriteByte(zeroFlag, zero ? (byte)1 : (byte)0);
        return true;
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern IntPtr dlopen(string file, int mode);

    [DllImport("libc", EntryPoint = "dlsym")]
    private static extern IntPtr dlsym(IntPtr handle, string name);
}
