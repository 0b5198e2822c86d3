using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Data;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Runs;

public class ProtocolSplitTests
{
    private static DatasetBundle Bundle()
    {
        // 4 classes x 10 images; image i holds the value i so selections can be traced.
        var labels = arange(40, dtype: ScalarType.Int64).remainder(4);
        var images = arange(40, dtype: ScalarType.Float32).reshape(40, 1, 1, 1);
        return new DatasetBundle("t", new LabelledImages(images, labels), new LabelledImages(images.clone(), labels.clone()), new[] { "a", "b", "c", "d" });
    }

    [Fact]
    public void ExtendedClassGivesTheOldModelTheFirstClassesAndMapsThemToRows()
    {
        using var data = Bundle();
        using var old = ProtocolSplit.ClassStage(data, new SplitSpec { Type = "extended-class", OldClassFraction = 0.5 });

        Assert.Equal(new[] { 0, 1 }, old.Classes);
        Assert.Equal(20, old.Images.Count);
        Assert.True(old.Images.Labels.lt(2).all().item<bool>());
        Assert.Equal(new long[] { 0, 1, -1, -1 }, old.LabelToRow.data<long>().ToArray());
    }

    [Fact]
    public void ExplicitOldClassesAreUsedAndCheckedAgainstTheDataset()
    {
        using var data = Bundle();
        using var old = ProtocolSplit.ClassStage(data, new SplitSpec { OldClasses = new() { 3, 1 } });

        Assert.Equal(new[] { 1, 3 }, old.Classes);
        Assert.Equal(new long[] { -1, 0, -1, 1 }, old.LabelToRow.data<long>().ToArray());
        Assert.Throws<CompatLabUserException>(() => ProtocolSplit.ClassStage(data, new SplitSpec { OldClasses = new() { 4 } }));
    }

    [Fact]
    public void ExtendedDataTakesASeededFractionOfEveryClass()
    {
        using var data = Bundle();
        var split = new SplitSpec { Type = "extended-data", OldDataFraction = 0.3 };
        using var first = ProtocolSplit.DataStage(data, split.OldDataFraction, seed: 5);
        using var again = ProtocolSplit.DataStage(data, split.OldDataFraction, seed: 5);
        using var other = ProtocolSplit.DataStage(data, split.OldDataFraction, seed: 6);

        Assert.Equal(new[] { 0, 1, 2, 3 }, first.Classes);
        Assert.Equal(12, first.Images.Count);
        Assert.Equal(new long[] { 3, 3, 3, 3 }, first.Images.Labels.bincount(null, 4).data<long>().ToArray());
        Assert.True(((LabelledImages)first.Images).Images.eq(((LabelledImages)again.Images).Images).all().item<bool>());
        Assert.False(((LabelledImages)first.Images).Images.eq(((LabelledImages)other.Images).Images).all().item<bool>());
    }

    [Fact]
    public void NewStageSeesEverything()
    {
        using var data = Bundle();
        using var stage = ProtocolSplit.NewStage(data);

        Assert.Equal(40, stage.Images.Count);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, stage.LabelToRow.data<long>().ToArray());
    }
}
