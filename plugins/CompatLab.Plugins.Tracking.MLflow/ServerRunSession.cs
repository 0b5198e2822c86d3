using CompatLab.Abstractions.Tracking;
using CompatLab.Plugins.Tracking.MLflow.Rest;
using CompatLab.Plugins.Tracking.MLflow.Spool;

namespace CompatLab.Plugins.Tracking.MLflow;

/// <summary>
/// A run tracked on a server. Every call is written to the run's spool first, then the pending records go out
/// (metrics at most every flush interval). When the server cannot be reached the run goes on: records stay in the
/// spool, the server is tried again after a pause, and 'compatlab tracking sync' sends whatever is left.
/// </summary>
internal sealed class ServerRunSession : IRunSession
{
    private readonly RunSpool spool;
    private readonly MlflowRestClient client;
    private readonly SpoolDelivery delivery;
    private readonly TimeSpan flushInterval;
    private readonly TimeSpan reconnectAfter;
    private readonly Action<string> warn;
    private readonly RunBookkeeping book;
    private readonly RetryPolicy retry;
    private readonly LoggedPoints logged = new();
    private DateTime retryAt = DateTime.MinValue;
    private DateTime lastDelivery = DateTime.MinValue;
    private int unsentPoints;
    private bool unreachableReported;

    private ServerRunSession(RunSpool spool, MlflowRestClient client, RunBookkeeping book, MlflowTrackerOptions options, Action<string> warn)
    {
        this.spool = spool;
        this.client = client;
        this.warn = warn;
        this.book = book;
        retry = RetryPolicy.From(options);
        delivery = new SpoolDelivery(client, spool, book, warn);
        flushInterval = TimeSpan.FromSeconds(options.FlushIntervalSeconds);
        reconnectAfter = TimeSpan.FromSeconds(options.ReconnectAfterSeconds);
    }

    public static ServerRunSession Start(TrackedRun tracked, TrackingTarget target, MlflowTrackerOptions options, MlflowCredentials credentials, string experimentName, Action<string> warn)
    {
        string folder = Path.Combine(tracked.RunDirectory, "mlflow", target.Id);
        var spool = OpenWaiting(folder);
        var book = RunBookkeeping.Load(folder);
        var tags = RunTags.Initial(tracked, target.Id);
        bool resumed = book is not null && book.RunKey == tracked.RunKey && spool.All.Any(r => r.Type == SpoolRecord.Start);
        if (!resumed && spool.All.Count > 0)
        {
            spool.Dispose();
            throw new InvalidOperationException($"{folder} holds the records of another run (key {book?.RunKey}); move it away to track run {tracked.RunKey} here");
        }

        if (resumed)
        {
            var lastStatus = spool.All.LastOrDefault(r => r.Type == SpoolRecord.Status);
            if (lastStatus is not null && lastStatus.RunStatus != RunStatusCode.Name(RunStatus.Running))
            {
                spool.Append(new SpoolRecord { Type = SpoolRecord.Status, RunStatus = RunStatusCode.Name(RunStatus.Running) });
            }

            AppendTags(spool, tags);
        }
        else
        {
            book = new RunBookkeeping { RunKey = tracked.RunKey, Target = target.Display, ExperimentName = experimentName, RunName = tracked.RunName };
            book.Save(folder);
            spool.Append(new SpoolRecord
            {
                Type = SpoolRecord.Start,
                Time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                Experiment = experimentName,
                RunName = tracked.RunName,
                Values = tags.Take(LogBatchLimits.MaxTags).ToDictionary(StringComparer.Ordinal),
            });
            AppendTags(spool, tags.Skip(LogBatchLimits.MaxTags));
            if (tracked.Inputs.Count > 0)
            {
                spool.Append(new SpoolRecord { Type = SpoolRecord.Inputs, Datasets = tracked.Inputs.ToList() });
            }
        }

        var client = new MlflowRestClient(target.Server!, credentials, TimeSpan.FromSeconds(options.RequestTimeoutSeconds), RetryPolicy.From(options));
        var session = new ServerRunSession(spool, client, book!, options, warn);
        foreach (var point in spool.All.Where(r => r.Type == SpoolRecord.Metrics).SelectMany(r => r.Points ?? []))
        {
            session.logged.Remember(point);
        }

        session.Deliver(force: true);
        return session;
    }

    public string? RunId => book.RunId;

    public void LogParams(IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        foreach (var chunk in RecordChunker.Pairs(parameters, LogBatchLimits.MaxParams))
        {
            spool.Append(new SpoolRecord { Type = SpoolRecord.Params, Values = chunk });
        }

        Deliver(force: false);
    }

    public void LogMetrics(IReadOnlyList<MetricPoint> points)
    {
        points = logged.Unseen(points);
        if (points.Count == 0)
        {
            return;
        }

        foreach (var chunk in RecordChunker.Points(points))
        {
            spool.Append(new SpoolRecord { Type = SpoolRecord.Metrics, Points = chunk });
        }

        unsentPoints += points.Count;
        if (unsentPoints >= LogBatchLimits.MaxMetrics || DateTime.UtcNow - lastDelivery >= flushInterval)
        {
            Deliver(force: false);
        }
    }

    public void SetTags(IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        AppendTags(spool, tags);
        Deliver(force: false);
    }

    public void LogArtifact(string localPath, string artifactPath)
    {
        spool.Append(new SpoolRecord { Type = SpoolRecord.Artifact, LocalPath = Path.GetFullPath(localPath), ArtifactPath = artifactPath });
        Deliver(force: false);
    }

    public void EndRun(RunStatus status)
    {
        spool.Append(new SpoolRecord { Type = SpoolRecord.Status, RunStatus = RunStatusCode.Name(status), Time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });
        DeliverFinally();
        int waiting = spool.PendingCount;
        if (waiting > 0)
        {
            warn($"{waiting} record(s) of this run wait in {spool.Folder}; 'compatlab tracking sync' sends them once {client.Display} answers");
        }
    }

    public void Dispose()
    {
        Deliver(force: false);
        spool.Dispose();
        client.Dispose();
    }

    private static void AppendTags(RunSpool spool, IEnumerable<KeyValuePair<string, string>> tags)
    {
        foreach (var chunk in RecordChunker.Pairs(tags, LogBatchLimits.MaxTags))
        {
            spool.Append(new SpoolRecord { Type = SpoolRecord.Tags, Values = chunk });
        }
    }

    /// <summary>Opens the run's spool, waiting a little if a 'tracking sync' holds it right now.</summary>
    private static RunSpool OpenWaiting(string folder)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (RunSpool.TryOpen(folder) is { } spool)
            {
                return spool;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new IOException($"{folder} is held by another compatlab process (the same run started twice, or 'tracking sync')");
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>
    /// The run's last chance before its records are left to 'tracking sync': even while the server counts as away,
    /// it is tried now and, if it still fails, once more after a backoff pause (each try with the client's own retries).
    /// </summary>
    private void DeliverFinally()
    {
        Deliver(force: true);
        if (spool.PendingCount > 0)
        {
            Thread.Sleep(retry.DelayBefore(retry.MaxRetries + 1));
            Deliver(force: true);
        }
    }

    private void Deliver(bool force)
    {
        var now = DateTime.UtcNow;
        if ((!force && now < retryAt) || spool.PendingCount == 0)
        {
            return;
        }

        lastDelivery = now;
        try
        {
            delivery.DeliverPending();
            unsentPoints = 0;
            if (unreachableReported)
            {
                warn($"{client.Display} answers again; the spooled records were sent");
                unreachableReported = false;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever went wrong, the records are safe in the spool and the run must go on.
            retryAt = DateTime.UtcNow + reconnectAfter;
            if (!unreachableReported)
            {
                warn($"{e.Message}; records are kept in {spool.Folder} and sent when the server answers again, or by 'compatlab tracking sync'");
                unreachableReported = true;
            }
        }
    }
}
