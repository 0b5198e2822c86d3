using CompatLab.Abstractions.Data;
using CompatLab.Plugins.Protocols;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Protocols;

/// <summary>Training rows of a set that loads on demand are read into memory as the rows of a held set would be.</summary>
public sealed class TrainingImagesTests
{
    [Fact]
    public void RowsOfASetThatLoadsOnDemandEqualTheHeldRows()
    {
        using var scope = NewDisposeScope();
        using var held = new LabelledImages(arange(300 * 4, dtype: ScalarType.Float32).reshape(300, 1, 2, 2), arange(300, dtype: ScalarType.Int64) % 3);
        using var onDemand = new OnDemand(held);
        var rows = tensor(Enumerable.Range(0, 300).Where(i => i % 3 != 1).Select(i => (long)i).ToArray());

        using var expected = TrainingImages.Select(held, rows);
        using var actual = TrainingImages.Select(onDemand, rows);

        Assert.Equal(200, actual.Count);
        Assert.True(expected.Images.equal(actual.Images).all().item<bool>());
        Assert.True(expected.Labels.equal(actual.Labels).all().item<bool>());
    }

    private sealed class OnDemand(LabelledImages inner) : ISampleSet
    {
        public long Count => inner.Count;

        public Tensor Labels => inner.Labels;

        public IReadOnlyList<long> SampleShape => inner.SampleShape;

        public Tensor Load(ReadOnlySpan<long> indices, SamplePass pass) => inner.Load(indices, pass);

        public ISampleSet Subset(Tensor indices) => new OnDemand(inner.Select(indices));

        public void Dispose()
        {
        }
    }
}
