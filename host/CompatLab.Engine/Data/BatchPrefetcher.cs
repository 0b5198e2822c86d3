using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using CompatLab.Abstractions.Data;
using static TorchSharp.torch;

namespace CompatLab.Engine.Data;

/// <summary>
/// The samples of one epoch's batches, in order: batch b is rows [b * batchSize, (b + 1) * batchSize) of the epoch's
/// order. With a depth above 0 one background task loads up to that many batches ahead while the caller trains on
/// the current one (memory: depth batches waiting, plus the one loading and the one in use); with depth 0 each
/// batch is loaded when it is asked for. Either way the batches are the same tensors, since a set's samples depend
/// only on (pass, index). A failed load is thrown by the <see cref="Next"/> call that asks for that batch.
/// </summary>
public sealed class BatchPrefetcher : IDisposable
{
    private readonly ISampleSet set;
    private readonly long[] order;
    private readonly int batchSize;
    private readonly SamplePass pass;
    private readonly BlockingCollection<Tensor>? ready;
    private readonly CancellationTokenSource stop = new();
    private readonly Task? producer;
    private Exception? failure;
    private int nextInline;

    public BatchPrefetcher(ISampleSet set, long[] order, int batchSize, int firstBatch, int endBatch, SamplePass pass, int depth)
    {
        this.set = set;
        this.order = order;
        this.batchSize = batchSize;
        this.pass = pass;
        nextInline = firstBatch;
        if (depth > 0 && firstBatch < endBatch)
        {
            ready = new BlockingCollection<Tensor>(new ConcurrentQueue<Tensor>(), depth);
            producer = Task.Factory.StartNew(() => Produce(firstBatch, endBatch), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>The next batch's samples, owned by the caller (in no dispose scope: the caller disposes it).</summary>
    public Tensor Next()
    {
        if (ready is null)
        {
            return Load(nextInline++);
        }

        if (ready.TryTake(out var batch, Timeout.Infinite))
        {
            return batch;
        }

        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }

        throw new InvalidOperationException("the epoch's batches are used up");
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

        stop.Dispose();
    }

    // Runs on the background thread, which has no dispose scope of the trainer's: each batch is made in a scope of
    // its own and detached from it, so its only owner is whoever takes it.
    private Tensor Load(int batch)
    {
        using var scope = NewDisposeScope();
        return set.LoadSerialized(order.AsSpan(batch * batchSize, batchSize), pass).DetachFromDisposeScope();
    }

    private void Produce(int firstBatch, int endBatch)
    {
        try
        {
            for (int batch = firstBatch; batch < endBatch && !stop.IsCancellationRequested; batch++)
            {
                var loaded = Load(batch);
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
            // Disposed before the epoch ended (an error, a cancelled run or a finished step budget).
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
