using CompatLab.Engine.Runtime;
using Xunit;

namespace CompatLab.Tests.Runtime;

public class NativeHeapTests
{
    [Fact]
    public void GlibcAcceptsTheSettingsOnLinux()
    {
        // CI and development machines are Debian (glibc): there the allocator must take both settings.
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.KeepFreedMemory());
    }
}
