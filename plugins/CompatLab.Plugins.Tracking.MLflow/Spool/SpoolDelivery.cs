using CompatLab.Abstractions.Tracking;
using CompatLab.Plugins.Tracking.MLflow.Artifacts;
using CompatLab.Plugins.Tracking.MLflow.Rest;

namespace CompatLab.Plugins.Tracking.MLflow.Spool;

/// <summary>
/// Sends a spool's pending records to the server in order, in as few requests as the limits allow, and marks each
/// request's records once the server has them. Unreachable servers and refused credentials leave the records
/// pending (the exception goes to the caller); a record the server refuses for good is marked rejected and reported.
/// </summary>
internal sealed class SpoolDelivery
{
    private readonly MlflowRestClient client;
    private readonly RunSpool spool;
    private readonly RunBookkeeping book;
    private readonly Action<string> warn;

    public SpoolDelivery(MlflowRestClient client, RunSpool spool, RunBookkeeping book, Action<string> warn)
    {
        this.client = client;
        this.spool = spool;
        this.book = book;
        this.warn = warn;
    }

    /// <summary>Sends everything pending; returns how many records went.</summary>
    public int DeliverPending()
    {
        int before = spool.PendingCount;
        try
        {
            DeliverOnce();
        }
        catch (MlflowApiException e) when (e.ErrorCode == MlflowApiException.ResourceDoesNotExist && book.RunId is not null)
        {
            warn($"run {book.RunId} no longer exists on {client.Display}; creating it again and sending all of its records");
            book.RunId = null;
            book.Save(spool.Folder);
            spool.Reset();
            DeliverOnce();
        }

        return before - spool.PendingCount;
    }

    private void DeliverOnce()
    {
        var batch = new BatchBuilder();
        foreach (var record in spool.Pending.ToList())
        {
            if (BatchBuilder.Batchable(record))
            {
                if (!batch.TryAdd(record))
                {
                    Send(batch);
                    batch = new BatchBuilder();
                    batch.TryAdd(record);
                }

                continue;
            }

            Send(batch);
            batch = new BatchBuilder();
            switch (record.Type)
            {
                case SpoolRecord.Start:
                    EnsureRun();
                    spool.MarkSent(new[] { record });
                    break;
                case SpoolRecord.Status:
                    string runId = EnsureRun();
                    Deliver(new[] { record }, () => client.UpdateRun(runId, record.RunStatus!, record.Time));
                    break;
                case SpoolRecord.Artifact:
                    DeliverArtifact(record);
                    break;
                case SpoolRecord.Inputs:
                    string inputsRunId = EnsureRun();
                    Deliver(new[] { record }, () => client.LogInputs(inputsRunId, record.Datasets ?? []));
                    break;
                default:
                    warn($"spool record {record.Seq} in {spool.Folder} has an unknown type '{record.Type}'; skipped");
                    spool.MarkRejected(new[] { record });
                    break;
            }
        }

        Send(batch);
    }

    /// <summary>
    /// The run's id, creating the experiment and run from the start record when the server has not seen them. It is
    /// called outside <see cref="Deliver"/>: a run that cannot be made is no reason to reject records; they wait.
    /// </summary>
    private string EnsureRun()
    {
        if (book.RunId is { } known)
        {
            return known;
        }

        var start = spool.All.FirstOrDefault(r => r.Type == SpoolRecord.Start)
            ?? throw new InvalidOperationException($"the spool in {spool.Folder} has no start record, so its run cannot be created");
        book.ExperimentId = client.GetOrCreateExperiment(start.Experiment ?? book.ExperimentName);
        var tags = new Dictionary<string, string>(start.Values ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (!tags.ContainsKey(ParentRunLink.ParentTag) && ParentRunLink.Find(tags, TrackingTarget.ForServer(new Uri(book.Target)).Id) is { } parent)
        {
            // The parent was not known when this run started (its server was away then); it may be by now.
            tags[ParentRunLink.ParentTag] = parent;
        }

        var created = client.CreateRun(book.ExperimentId, start.RunName ?? book.RunName, start.Time ?? 0, tags, Environment.UserName);
        book.RunId = created.RunId;
        book.ArtifactUri = created.ArtifactUri;
        book.ArtifactRoot = null;
        book.Save(spool.Folder);
        return created.RunId;
    }

    private void Send(BatchBuilder batch)
    {
        if (batch.IsEmpty)
        {
            return;
        }

        string runId = EnsureRun();
        if (!batch.HoldsParams)
        {
            Deliver(batch.Records, () => client.LogBatch(runId, batch.Batch));
            return;
        }

        Deliver(batch.Records, () =>
        {
            try
            {
                client.LogBatch(runId, batch.Batch);
            }
            catch (MlflowApiException e) when (e.ErrorCode == MlflowApiException.InvalidParameterValue)
            {
                // Some params are on the run already (an earlier try that got through, a resume): the same value is
                // fine, another value can never be logged. Send only what the run does not have yet.
                var existing = client.GetParams(runId);
                var missing = batch.Batch.Params.Where(p => !existing.ContainsKey(p.Key)).ToList();
                foreach (var conflict in batch.Batch.Params.Where(p => existing.TryGetValue(p.Key, out string? value) && value != p.Value))
                {
                    warn($"param '{conflict.Key}' of run {runId} already holds \"{existing[conflict.Key]}\" on {client.Display}; MLflow params never change, so \"{conflict.Value}\" was not logged");
                }

                if (missing.Count == batch.Batch.Params.Count)
                {
                    throw;
                }

                if (missing.Count > 0)
                {
                    client.LogBatch(runId, new LogBatch(Array.Empty<MetricPoint>(), missing, Array.Empty<KeyValuePair<string, string>>()));
                }
            }
        });
    }

    private void DeliverArtifact(SpoolRecord record)
    {
        if (record.LocalPath is null || !File.Exists(record.LocalPath))
        {
            warn($"artifact '{record.ArtifactPath}' cannot be sent: its file {record.LocalPath} is gone");
            spool.MarkRejected(new[] { record });
            return;
        }

        string runId = EnsureRun();
        var destination = book.ArtifactRoot is { } proxyRoot
            ? new ArtifactDestination(ArtifactDestinationKind.Proxy, proxyRoot, string.Empty)
            : ArtifactDestination.Of(book.ArtifactUri, book.ExperimentId!, runId);
        switch (destination.Kind)
        {
            case ArtifactDestinationKind.Proxy:
                Deliver(new[] { record }, () => client.UploadArtifact(destination.Location, record.ArtifactPath!, record.LocalPath));
                break;
            case ArtifactDestinationKind.LocalFolder:
                DeliverLocal(record, destination, runId);
                break;
            default:
                Refuse(record, $"artifact '{record.ArtifactPath}' of run {runId} not stored: {destination.Problem}", runId);
                break;
        }
    }

    /// <summary>A local artifact root (MLflow's default for a server without --serve-artifacts) is written directly, as MLflow's own client does.</summary>
    private void DeliverLocal(SpoolRecord record, ArtifactDestination destination, string runId)
    {
        try
        {
            destination.CopyLocal(record.LocalPath!, record.ArtifactPath!);
            spool.MarkSent(new[] { record });
        }
        catch (IOException e)
        {
            Refuse(record, e.Message + " (the artifact root must be a folder this machine can write, e.g. shared storage)", runId);
        }
    }

    /// <summary>An artifact that can never be stored: a warning, the record marked rejected, and the reason as a tag on the run.</summary>
    private void Refuse(SpoolRecord record, string reason, string runId)
    {
        warn(reason);
        spool.MarkRejected(new[] { record });
        try
        {
            client.LogBatch(runId, new LogBatch(Array.Empty<MetricPoint>(), Array.Empty<KeyValuePair<string, string>>(), new[] { new KeyValuePair<string, string>(FileStoreRunSession.ArtifactProblemTag, KeyRules.TagValue(reason)) }));
        }
        catch (MlflowApiException)
        {
            // The warning above already reported it; a run that refuses the tag changes nothing about the artifact.
        }
    }

    /// <summary>Runs one request and marks its records: sent when it went through, rejected when the server refuses them for good.</summary>
    private void Deliver(IReadOnlyList<SpoolRecord> records, Action send)
    {
        try
        {
            send();
            spool.MarkSent(records);
        }
        catch (MlflowApiException e) when (!e.IsAuthentication && e.ErrorCode != MlflowApiException.ResourceDoesNotExist)
        {
            warn($"{client.Display} refused {Describe(records)} of run {book.RunId}: {e.Message}; they are marked rejected in {spool.Folder}");
            spool.MarkRejected(records);
        }
    }

    private static string Describe(IReadOnlyList<SpoolRecord> records) =>
        records.Count == 1 && records[0].Type == SpoolRecord.Artifact
            ? $"artifact '{records[0].ArtifactPath}'"
            : $"{records.Sum(r => Math.Max(1, r.ItemCount))} {string.Join("/", records.Select(r => r.Type).Distinct())} value(s)";
}
