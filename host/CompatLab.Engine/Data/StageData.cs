using CompatLab.Abstractions.Data;
using static TorchSharp.torch;

namespace CompatLab.Engine.Data;

/// <summary>
/// A stage's training samples (any <see cref="ISampleSet"/>: held in memory or loaded on demand) and the classes its classifier has: row r of the classifier is class
/// <see cref="Classes"/>[r]; <see cref="LabelToRow"/> maps a class id to its row (-1 for classes it never sees).
/// </summary>
public sealed class StageData : IDisposable
{
    public StageData(ISampleSet images, IReadOnlyList<int> classes, int classCount)
    {
        Images = images;
        Classes = classes;
        var map = Enumerable.Repeat(-1L, classCount).ToArray();
        for (int row = 0; row < classes.Count; row++)
        {
            map[classes[row]] = row;
        }

        LabelToRow = tensor(map, ScalarType.Int64).DetachFromDisposeScope();
    }

    public ISampleSet Images { get; }

    public IReadOnlyList<int> Classes { get; }

    public Tensor LabelToRow { get; }

    public void Dispose()
    {
        Images.Dispose();
        LabelToRow.Dispose();
    }
}
