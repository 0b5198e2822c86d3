using CompatLab.Engine.Runtime;
using Xunit;

namespace CompatLab.Tests.Runtime;

public class OneDnnIsaTests
{
    private static readonly CpuIdentity Zen5 = CpuIdentity.Parse(CpuIdentityTests.Zen5);
    private static readonly CpuIdentity Zen4 = CpuIdentity.Parse(CpuIdentityTests.Zen4);

    private static Func<string, string?> Variables(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void ZenFiveIsCappedAtAvx2AndOlderOrOtherProcessorsAreLeftAlone()
    {
        Assert.Equal("AVX2", OneDnnIsa.CapFor(Zen5, Variables()));
        Assert.Null(OneDnnIsa.CapFor(Zen4, Variables()));
        Assert.Null(OneDnnIsa.CapFor(Zen5 with { Vendor = "GenuineIntel" }, Variables()));
        Assert.Null(OneDnnIsa.CapFor(CpuIdentity.Unknown, Variables()));
    }

    [Fact]
    public void TheUsersSettingWins()
    {
        Assert.Null(OneDnnIsa.CapFor(Zen5, Variables((OneDnnIsa.OneDnnVariable, "AVX512_CORE"))));
        Assert.Null(OneDnnIsa.CapFor(Zen5, Variables((OneDnnIsa.LegacyOneDnnVariable, "AVX512_CORE"))));
        Assert.Null(OneDnnIsa.CapFor(Zen5, Variables((OneDnnIsa.ChoiceVariable, "native"))));
        Assert.Equal("AVX2", OneDnnIsa.CapFor(Zen5, Variables((OneDnnIsa.ChoiceVariable, "auto"))));
        Assert.Equal("AVX512_CORE", OneDnnIsa.CapFor(Zen4, Variables((OneDnnIsa.ChoiceVariable, "avx512_core"))));
    }
}
