using CompatLab.Engine.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Runtime;

[Collection(NativeHeapCollection.Name)]
public class NativeHeapTests
{
    [Fact]
    public void GlibcAcceptsTheSettingsOnLinux()
    {
        // CI and development machines are Debian (glibc): there the allocator must take both settings.
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.KeepFreedMemory());
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
