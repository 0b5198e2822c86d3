using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using CompatLab.Abstractions.Data;
using static TorchSharp.torch;

namespace CompatLab.Engine.Data;

/// <summary>
/// Loads planned batches in order. With a depth above 0 one background task loads up to that many batches ahead
/// while the caller trains on the current one (memory: depth batches waiting, plus the one loading and the one in
/// use), and it goes straight on across an epoch boundary when the plan does (<see cref="StageBatchPlan"/>); with
/// depth 0 each batch is loaded when it is asked for. Either way the batches are the same tensors, since a set's
/// samples depend only on (pass, index). A failed load is thrown by the <see cref="Next"/> call that asks for that
/// batch.
/// </summary>
public sealed class BatchPrefetcher : IDisposable
{
    private readonly ISampleSet set;
    private readonly IEnumerator<PlannedBatch> plan;
    private readonly BlockingCollection<LoadedBatch>? ready;
    private readonly CancellationTokenSource stop = new();
    private readonly Task? producer;
    private Exception? failure;

    public BatchPrefetcher(ISampleSet set, IEnumerable<PlannedBatch> plan, int depth)
    {
        this.set = set;
        this.plan = plan.GetEnumerator();
        if (depth > 0)
        {
            ready = new BlockingCollection<LoadedBatch>(new ConcurrentQueue<LoadedBatch>(), depth);
            producer = Task.Factory.StartNew(Produce, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>One epoch's batches [<paramref name="firstBatch"/>, <paramref name="endBatch"/>) of <paramref name="order"/>.</summary>
    public BatchPrefetcher(ISampleSet set, long[] order, int batchSize, int firstBatch, int endBatch, SamplePass pass, int depth)
        : this(set, PlannedBatch.OfEpoch(order, batchSize, firstBatch, endBatch, pass), depth)
    {
    }

    /// <summary>The next batch, owned by the caller (in no dispose scope: the caller disposes it).</summary>
    public LoadedBatch Next()
    {
        if (ready is null)
        {
            return plan.MoveNext() ? Load(plan.Current) : throw UsedUp();
        }

        if (ready.TryTake(out var batch, Timeout.Infinite))
        {
            return batch;
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        throw UsedUp();
    }

    /// <summary>Stops the background task and frees the batches it loaded that were never taken.</summary>
    public void Dispose()
    {
        stop.Cancel();
        try
        {
            producer?.Wait();
        }
        catch (AggregateException)
        {
            // Produce records its failures; what is left here is the cancellation itself.
        }

        if (ready is not null)
        {
            while (ready.TryTake(out var left))
            {
                left.Dispose();
            }

            ready.Dispose();
        }

        plan.Dispose();
        stop.Dispose();
    }

    private static InvalidOperationException UsedUp() => new("the planned batches are used up");

    // Runs on the background thread, which has no dispose scope of the trainer's: each batch is made in a scope of
    // its own and detached from it, so its only owner is whoever takes it.
    private LoadedBatch Load(PlannedBatch batch)
    {
        using var scope = NewDisposeScope();
        return new LoadedBatch(set.LoadSerialized(batch.Indices, batch.Pass).DetachFromDisposeScope(), batch.Indices);
    }

    private void Produce()
    {
        try
        {
            while (!stop.IsCancellationRequested && plan.MoveNext())
            {
                var loaded = Load(plan.Current);
                try
                {
                    ready!.Add(loaded, stop.Token);
                }
                catch
                {
                    loaded.Dispose();
                    throw;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed before the plan ended (an error, a cancelled run or a finished step budget).
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            ready!.CompleteAdding();
        }
    }
}
