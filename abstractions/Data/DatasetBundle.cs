namespace CompatLab.Abstractions.Data;

/// <summary>
/// What a dataset plugin returns: its training and test samples, the class names, and (when the data names them)
/// the query and gallery sets of an open-set evaluation. Owns every set it holds.
/// </summary>
public sealed class DatasetBundle : IDisposable
{
    /// <summary>Sets held in memory (contract 1.0).</summary>
    public DatasetBundle(string name, LabelledImages train, LabelledImages test, IReadOnlyList<string> classNames)
        : this(name, (ISampleSet)train, test, classNames)
    {
    }

    /// <summary>Any sets, in memory or loaded on demand (contract 1.3).</summary>
    public DatasetBundle(string name, ISampleSet train, ISampleSet test, IReadOnlyList<string> classNames)
    {
        Name = name;
        TrainSet = train;
        TestSet = test;
        ClassNames = classNames;
    }

    public string Name { get; }

    /// <summary>The training samples (contract 1.3).</summary>
    public ISampleSet TrainSet { get; }

    /// <summary>The test samples: query set = gallery set unless <see cref="Query"/> and <see cref="Gallery"/> are given (contract 1.3).</summary>
    public ISampleSet TestSet { get; }

    /// <summary>Open-set queries named by the data (for example an image list's role column); null when it names none (contract 1.3).</summary>
    public ISampleSet? Query { get; init; }

    /// <summary>Open-set gallery named by the data; given exactly when <see cref="Query"/> is (contract 1.3).</summary>
    public ISampleSet? Gallery { get; init; }

    /// <summary>The training samples when they are held in memory (contract 1.0); use <see cref="TrainSet"/> for any set.</summary>
    public LabelledImages Train => TrainSet as LabelledImages ?? throw NotInMemory(nameof(Train));

    /// <summary>The test samples when they are held in memory (contract 1.0); use <see cref="TestSet"/> for any set.</summary>
    public LabelledImages Test => TestSet as LabelledImages ?? throw NotInMemory(nameof(Test));

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>
    /// Samples the dataset left out because they could not be read (for example images under <c>skipUnreadable</c>);
    /// the host lists them in the run folder. Empty by default (contract 1.3).
    /// </summary>
    public IReadOnlyList<SkippedSample> Skipped { get; init; } = [];

    public int ClassCount => ClassNames.Count;

    public long Channels => TrainSet.SampleShape[0];

    public long Height => TrainSet.SampleShape[1];

    public long Width => TrainSet.SampleShape[2];

    public void Dispose()
    {
        TrainSet.Dispose();
        TestSet.Dispose();
        Query?.Dispose();
        Gallery?.Dispose();
    }

    private InvalidOperationException NotInMemory(string property) =>
        new($"dataset '{Name}' loads its samples on demand; {property} exists only for sets held in memory (use {property}Set)");
}
