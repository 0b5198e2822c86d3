namespace CompatLab.Abstractions.Data;

/// <summary>What a dataset plugin returns: its training and test images, and the class names.</summary>
public sealed class DatasetBundle : IDisposable
{
    public DatasetBundle(string name, LabelledImages train, LabelledImages test, IReadOnlyList<string> classNames)
    {
        Name = name;
        Train = train;
        Test = test;
        ClassNames = classNames;
    }

    public string Name { get; }

    public LabelledImages Train { get; }

    public LabelledImages Test { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public int ClassCount => ClassNames.Count;

    public long Channels => Train.Images.shape[1];

    public long Height => Train.Images.shape[2];

    public long Width => Train.Images.shape[3];

    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }
}
