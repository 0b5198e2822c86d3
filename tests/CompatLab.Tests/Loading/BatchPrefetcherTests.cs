using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Engine.Data;
using CompatLab.Engine.Tracking;
using CompatLab.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace CompatLab.Tests.Loading;

// Compares seeded runs exactly: torch's global generator (which model building seeds) must not be shared with other tests.
[Collection(CompatLab.Tests.Backbones.TorchRandomCollection.Name)]
public class BatchPrefetcherTests
{
    private static readonly long[] Order = [5, 2, 7, 0, 3, 6, 1, 4];

    [Fact]
    public void PrefetchedBatchesAreTheInlineOnes()
    {
        using var set = new AugmentingSet(8);
        var pass = new SamplePass(11, 3, Augment: true);
        var inline = Batches(set, pass, depth: 0);
        var ahead = Batches(set, pass, depth: 2);

        Assert.Equal(3, inline.Count);
        Assert.Equal(inline, ahead);
    }

    [Fact]
    public void AFailedLoadIsThrownByTheBatchThatNeedsItAndUntakenBatchesAreFreed()
    {
        using var set = new AugmentingSet(8) { FailAtCall = 2 };
        var prefetcher = new BatchPrefetcher(set, Order, 2, 0, 4, SamplePass.Evaluation, depth: 2);
        using (prefetcher.Next())
        using (prefetcher.Next())
        {
        }

        var error = Assert.Throws<CompatLabUserException>(() => prefetcher.Next());
        Assert.Contains("load 2", error.Message);
        prefetcher.Dispose();
        Assert.All(set.Made, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void DisposingMidEpochStopsTheBackgroundLoadsAndFreesWhatTheyMade()
    {
        using var set = new AugmentingSet(8);
        var prefetcher = new BatchPrefetcher(set, Order, 2, 0, 4, SamplePass.Evaluation, depth: 2);
        prefetcher.Next().Dispose();
        prefetcher.Dispose();

        Assert.True(set.Made.Count <= 4, $"{set.Made.Count} batches loaded; at most 1 taken + 2 waiting + 1 loading");
        Assert.All(set.Made, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void TrainingGivesTheSameLossesWithAndWithoutPrefetch()
    {
        var inline = Losses("0");
        Assert.Contains(inline, p => p.Item1 == "new.loss");
        Assert.Equal(inline, Losses("2"));
    }

    [Fact]
    public void TheStagePlanGoesOnIntoTheNextEpochWithoutWaitingForItsFirstBatchToBeAskedFor()
    {
        using var set = new AugmentingSet(8);
        var plan = new StageBatchPlan(8, 2, OrderSeed: 5, SampleSeed: 11);
        var inline = PlanBatches(set, plan, depth: 0);
        set.Made.Clear();
        using var prefetcher = new BatchPrefetcher(set, plan.From(0, 2, perEpoch: 4, steps: 6), depth: 2);
        var ahead = new List<float[]>();
        for (int b = 0; b < 2; b++)
        {
            using var batch = prefetcher.Next();
            ahead.Add(batch.Samples.data<float>().ToArray());
        }

        // Epoch 0's last batch is taken: the next two loaded are epoch 1's first ones (augmented with epoch 1).
        Assert.True(SpinWait.SpinUntil(() => Count(set) >= 4, TimeSpan.FromSeconds(5)), $"{Count(set)} batches loaded");
        for (int b = 2; b < 6; b++)
        {
            using var batch = prefetcher.Next();
            ahead.Add(batch.Samples.data<float>().ToArray());
        }

        Assert.Equal(inline, ahead);
        Assert.Equal(plan.Order(1).Take(2).Select(i => (float)(i + 11 + 1)), ahead[2].Where((_, k) => k % 4 == 0));
    }

    private static int Count(AugmentingSet set)
    {
        lock (set.Made)
        {
            return set.Made.Count;
        }
    }

    private static List<float[]> PlanBatches(ISampleSet set, StageBatchPlan plan, int depth)
    {
        using var prefetcher = new BatchPrefetcher(set, plan.From(0, 2, perEpoch: 4, steps: 6), depth);
        var batches = new List<float[]>();
        for (int b = 0; b < 6; b++)
        {
            using var batch = prefetcher.Next();
            batches.Add(batch.Samples.data<float>().ToArray());
        }

        return batches;
    }

    private static List<float[]> Batches(ISampleSet set, SamplePass pass, int depth)
    {
        using var prefetcher = new BatchPrefetcher(set, Order, 2, 1, 4, pass, depth);
        var batches = new List<float[]>();
        for (int b = 1; b < 4; b++)
        {
            using var batch = prefetcher.Next();
            batches.Add(batch.Samples.data<float>().ToArray());
        }

        return batches;
    }

    private static List<(string, double, long)> Losses(string prefetch)
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json("bct", """, "tracking": { "trackers": [] }"""));
        using var run = InProcessRun.Open(file, $"data.loader.prefetch={prefetch}", $"output={scratch.PathOf("runs")}"); // own folder: prefetch is not in the run key
        string folder = run.Run().RunFolder;
        return MetricJournal.Read(Path.Combine(folder, "metrics.jsonl"), _ => { })
            .Where(p => p.Key.EndsWith("loss", StringComparison.Ordinal) || p.Key.StartsWith("eval.", StringComparison.Ordinal))
            .Select(p => (p.Key, p.Value, p.Step)).ToList();
    }

    /// <summary>Sample i of a pass is i + seed + epoch (augmented) or i, one value per pixel; it records every tensor it made.</summary>
    private sealed class AugmentingSet : ISampleSet
    {
        private int calls;

        public AugmentingSet(long count)
        {
            Count = count;
            Labels = zeros(count, dtype: ScalarType.Int64);
        }

        public int FailAtCall { get; init; } = -1;

        public List<Tensor> Made { get; } = [];

        public long Count { get; }

        public Tensor Labels { get; }

        public IReadOnlyList<long> SampleShape => [1, 2, 2];

        public Tensor Load(ReadOnlySpan<long> indices, SamplePass pass)
        {
            if (calls++ == FailAtCall)
            {
                throw new CompatLabUserException($"load {calls - 1}: unreadable");
            }

            var values = indices.ToArray().Select(i => (float)(pass.Augment ? i + pass.Seed + pass.Epoch : i)).ToArray();
            var batch = tensor(values).reshape(indices.Length, 1, 1, 1).expand(indices.Length, 1, 2, 2).contiguous();
            lock (Made)
            {
                Made.Add(batch);
            }

            return batch;
        }

        public ISampleSet Subset(Tensor indices) => throw new NotSupportedException();

        public void Dispose() => Labels.Dispose();
    }
}
