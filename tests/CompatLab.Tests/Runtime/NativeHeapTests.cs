using CompatLab.Engine.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Runtime;

[Collection(NativeHeapCollection.Name)]
public class NativeHeapTests
{
    [Fact]
    public void FreedBlocksStayInTheHeapForTheNextStepOnLinux()
    {
        // CI and development machines are Debian (glibc): there the allocator must take both settings.
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.KeepFreedMemory());
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // A step frees all its activations at once: four 24 MB blocks, each below the fixed 32 MB mapping threshold, so
        // served from the heap. Freed together on the main arena (the CLI's training thread), they make a free top
        // above glibc's default trim threshold, which the default settings hand back to the kernel (all 96 MB), and
        // kept settings keep whole. A test thread may get another arena, where glibc unmaps a heap once all of it is
        // free whatever the trim threshold (it compares with M_TOP_PAD) and keeps about half the step (measured with
        // ctypes on Debian 12's glibc 2.36). What holds on every arena: at least one block of the step stays free.
        const long block = 24L * 1024 * 1024;
        const long step = 4 * block;
        RunStep(block); // libtorch's own one-time setup is not this step's
        var during = RunStep(block);
        var freed = NativeHeap.Usage()!.Value;

        Assert.True(during.InUseBytes - freed.InUseBytes >= step - (step / 8), $"the step's blocks were not counted while alive: {during} -> {freed}");
        Assert.True(freed.HeldBytes - freed.InUseBytes >= block, $"no block of the freed step was kept for the next one: {during} -> {freed}");
    }

    [Fact]
    public void UsageCountsATensorWhileItLivesOnLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(NativeHeap.Usage());
            return;
        }

        const long bytes = 48L * 1024 * 1024;
        ones(bytes / sizeof(float)).Dispose(); // libtorch's own one-time setup is not this tensor's
        var before = NativeHeap.Usage()!.Value;
        HeapUsage during;
        using (var tensor = ones(bytes / sizeof(float)))
        {
            during = NativeHeap.Usage()!.Value;
        }

        var after = NativeHeap.Usage()!.Value;
        Assert.InRange(during.InUseBytes - before.InUseBytes, bytes, bytes + (8L * 1024 * 1024));
        Assert.True(during.HeldBytes >= during.InUseBytes, $"held {during.HeldBytes} < in use {during.InUseBytes}");
        Assert.True(after.InUseBytes < during.InUseBytes - (bytes / 2), $"in use {during.InUseBytes} -> {after.InUseBytes} after the tensor was freed");
    }

    /// <summary>Allocates four blocks, reads the totals while they all live, frees them together.</summary>
    private static HeapUsage RunStep(long blockBytes)
    {
        var blocks = Enumerable.Range(0, 4).Select(_ => ones(blockBytes / sizeof(float))).ToList();
        var usage = NativeHeap.Usage()!.Value;
        blocks.ForEach(b => b.Dispose());
        return usage;
    }
}
