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

    /// <summary>
    /// What the allocator holds from the kernel and how much of it is allocated now (glibc's mallinfo2, all arenas);
    /// null off glibc or before glibc 2.33. Held minus in use is freed memory kept for reuse, which is where a
    /// process's resident size above its live tensors goes.
    /// </summary>
    public static HeapUsage? Usage()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var info = mallinfo2();
            return new HeapUsage((long)(info.Arena + info.Hblkhd), (long)(info.Uordblks + info.Hblkhd));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

#pragma warning disable SA1300, IDE1006 // the C functions' own names
    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int parameter, int value);

    [DllImport("libc", ExactSpelling = true)]
    private static extern MallInfo2 mallinfo2();
#pragma warning restore SA1300, IDE1006

    /// <summary>glibc's <c>struct mallinfo2</c>, ten size_t fields in this order.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct MallInfo2
    {
        public readonly nuint Arena;
        public readonly nuint Ordblks;
        public readonly nuint Smblks;
        public readonly nuint Hblks;
        public readonly nuint Hblkhd;
        public readonly nuint Usmblks;
        public readonly nuint Fsmblks;
        public readonly nuint Uordblks;
        public readonly nuint Fordblks;
        public readonly nuint Keepcost;
    }
}

/// <param name="HeldBytes">Memory the allocator has from the kernel (heap arenas and separate mappings).</param>
/// <param name="InUseBytes">Of that, what is allocated now.</param>
public readonly record struct HeapUsage(long HeldBytes, long InUseBytes);
