using System.Runtime.InteropServices;

namespace CompatLab.Engine.Runtime;

/// <summary>
/// Tunes glibc's allocator, which libtorch allocates tensors from, for training loops. A step frees all its
/// activations at the end of its dispose scope, at once; by default glibc then hands the freed top of the heap back
/// to the kernel (trimming) and serves blocks above a moving threshold with fresh mappings, so the next step faults
/// the same memory in again, page by page, zeroed by the kernel. Measured on the resnet-mini training bench
/// (bench/README.md): about a million page faults per 50 steps, and 1080-1130 instead of 1630 images/s.
/// Keeping freed memory in the heap (no trimming below 2 GiB, fixed 32 MiB mapping threshold) removes that; the
/// process keeps its high-water mark instead of returning it between steps.
/// </summary>
public static class NativeHeap
{
    private const int TrimThreshold = -1; // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD

    /// <summary>glibc's largest mapping threshold on 64-bit (HEAP_MAX_SIZE / 2).</summary>
    private const int LargestMmapThreshold = 32 * 1024 * 1024;

    /// <returns>Whether the allocator took the settings: false off glibc (musl, macOS, Windows), where nothing changes.</returns>
    public static bool KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return mallopt(TrimThreshold, int.MaxValue) == 1 && mallopt(MmapThreshold, LargestMmapThreshold) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", ExactSpelling = true)]
#pragma warning disable SA1300, IDE1006 // the C function's own name
    private static extern int mallopt(int parameter, int value);
#pragma warning restore SA1300, IDE1006
}
