using CompatLab.Engine.Runtime;
using Xunit;

namespace CompatLab.Tests.Runtime;

public class CpuIdentityTests
{
    internal const string Zen5 = """
        processor	: 0
        vendor_id	: AuthenticAMD
        cpu family	: 26
        model		: 2
        model name	: AMD EPYC 9B45
        flags		: fpu sse2 avx avx2 avx512f avx512_vp2intersect avx_vnni avx512_bf16

        processor	: 1
        vendor_id	: GenuineIntel
        """;

    internal const string Zen4 = """
        processor	: 0
        vendor_id	: AuthenticAMD
        cpu family	: 25
        model		: 17
        model name	: AMD EPYC
        flags		: fpu sse2 avx avx2 avx512f avx512_bf16
        """;

    [Fact]
    public void ReadsTheFirstProcessorsVendorFamilyModelAndFlags()
    {
        var cpu = CpuIdentity.Parse(Zen5);

        Assert.Equal("AuthenticAMD", cpu.Vendor);
        Assert.True(cpu.IsAmd);
        Assert.Equal(26, cpu.Family);
        Assert.Equal(2, cpu.Model);
        Assert.Equal("AMD EPYC 9B45", cpu.ModelName);
        Assert.Contains("avx512_vp2intersect", cpu.Flags);
        Assert.DoesNotContain("flags", cpu.Flags);
    }

    [Fact]
    public void MissingFieldsStayEmpty()
    {
        var cpu = CpuIdentity.Parse("processor : 0\nmodel name : Something\n");

        Assert.Equal(0, cpu.Family);
        Assert.False(cpu.IsAmd);
        Assert.Empty(cpu.Flags);
        Assert.Equal("Something", cpu.ModelName);
    }

    [Fact]
    public void ThisMachinesProcessorIsRead()
    {
        var cpu = CpuIdentity.Current();

        Assert.True(!OperatingSystem.IsLinux() || cpu.Family > 0, "no CPU family read from /proc/cpuinfo");
    }
}
