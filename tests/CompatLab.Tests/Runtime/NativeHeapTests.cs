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

        // 24 MB: by default glibc maps a block this size on its own and unmaps it when freed; kept settings serve it
        // from the heap (threshold 32 MB) and keep it there once freed (no trimming), ready for the next step.
        const long bytes = 24L * 1024 * 1024;
        var before = NativeHeap.Usage()!.Value;
        ones(bytes / sizeof(float)).Dispose();
        var after = NativeHeap.Usage()!.Value;

        long keptFree = after.HeldBytes - after.InUseBytes - (before.HeldBytes - before.InUseBytes);
        Assert.True(keptFree >= bytes / 2 || before.HeldBytes - before.InUseBytes >= bytes, $"freed block not kept: {before} -> {after}");
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
}
