using System.Reflection;
using CompatLab.Engine.Runtime;
using CompatLab.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Build;

/// <summary>
/// Every build copies the TorchSharp.dll that build/KeepAliveWeaver rewrote (Directory.Build.targets); these tests
/// run on that copy and check that the rewrite is there where the race was seen (docs/reliability.md).
/// </summary>
public sealed class TorchSharpKeepAliveTests
{
    [Fact]
    public void TheLoadedTorchSharpIsTheWovenOne()
    {
        // TorchSharp 0.107.0 has 1630 handle reads of its own classes (docs/reliability.md quotes the number); another
        // TorchSharp changes it, and the docs with it.
        Assert.Equal(1630, TorchSharpKeepAlive.WovenHandleReads());
        Assert.StartsWith("woven", TorchSharpKeepAlive.Describe(), StringComparison.Ordinal);
        Assert.Equal(CompatLab.Build.KeepAliveWeaver.HandleKeepAlive.MarkerKey, TorchSharpKeepAlive.MarkerKey);
    }

    [Fact]
    public void AddKeepsItsOperandsAndItsScalarAliveUntilItReturns()
    {
        var add = typeof(Tensor).GetMethod(nameof(Tensor.add), [typeof(Tensor), typeof(Scalar)])!;

        // this, the other tensor and alpha: the three objects whose handles go to THSTensor_add.
        Assert.Equal(3, KeepAliveCalls(add));
    }

    [Fact]
    public void AWovenAddStillAdds()
    {
        using var scope = NewDisposeScope();
        var sum = ones(3).add(full(3, 2f), 0.5);

        Assert.Equal([2f, 2f, 2f], sum.data<float>().ToArray());
    }

    private static int KeepAliveCalls(MethodInfo method) => IlCalls.To(method, typeof(GC), nameof(GC.KeepAlive));
}
