using CompatLab.Abstractions;
using CompatLab.Plugins.Tracking.MLflow.Rest;

namespace CompatLab.Plugins.Tracking.MLflow.Spool;

/// <summary>
/// 'compatlab tracking sync': finds every run's spool under a runs folder and sends its pending records to the
/// server recorded in it (credentials from the environment, as always). Spools held by a running process are left
/// alone; a server that cannot be reached is not tried again for its other spools in the same sync.
/// </summary>
internal sealed class SpoolSync : IDisposable
{
    private readonly MlflowTrackerOptions defaults = new();
    private readonly Dictionary<string, MlflowRestClient> clients = new(StringComparer.Ordinal);
    private readonly HashSet<string> unreachable = new(StringComparer.Ordinal);
    private readonly TextWriter messages;
    private int spools;
    private int sent;
    private int waiting;

    private SpoolSync(TextWriter messages)
    {
        this.messages = messages;
    }

    /// <returns>How many records still wait.</returns>
    public static int Run(string runsDirectory, TextWriter messages)
    {
        if (!Directory.Exists(runsDirectory))
        {
            throw new CompatLabUserException($"tracking sync: '{runsDirectory}' is not a folder; expected a runs folder (an experiment's \"output\", by default 'runs')");
        }

        using var sync = new SpoolSync(messages);
        foreach (string folder in SpoolFolders(runsDirectory))
        {
            sync.SyncOne(folder);
        }

        messages.WriteLine($"tracking sync: {sync.spools} run(s) had records to send; {sync.sent} record(s) sent, {sync.waiting} still waiting");
        return sync.waiting;
    }

    public void Dispose()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }

    private void SyncOne(string folder)
    {
        string runFolder = Path.GetDirectoryName(Path.GetDirectoryName(folder)!)!;
        var book = RunBookkeeping.Load(folder);
        if (book is null || !Uri.TryCreate(book.Target, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
        {
            messages.WriteLine($"{runFolder}: skipped, {Path.Combine(folder, RunBookkeeping.FileName)} is missing or names no server");
            return;
        }

        using var spool = RunSpool.TryOpen(folder);
        if (spool is null)
        {
            messages.WriteLine($"{runFolder}: skipped, a running process is tracking it");
            waiting++;
            return;
        }

        int pending = spool.PendingCount;
        if (pending == 0)
        {
            return;
        }

        spools++;
        if (unreachable.Contains(book.Target))
        {
            waiting += pending;
            return;
        }

        try
        {
            int delivered = new SpoolDelivery(Client(book.Target, server), spool, book, m => messages.WriteLine("warning: mlflow: " + m)).DeliverPending();
            sent += delivered;
            messages.WriteLine($"{runFolder}: sent {delivered} record(s) to {book.Target}");
        }
        catch (Exception e) when (e is MlflowUnreachableException or MlflowApiException)
        {
            messages.WriteLine($"{runFolder}: {e.Message}");
            if (e is MlflowUnreachableException || (e is MlflowApiException api && api.IsAuthentication))
            {
                unreachable.Add(book.Target); // its other spools wait for the next sync
            }
        }

        waiting += spool.PendingCount;
    }

    /// <summary>One client per server, shared by its spools.</summary>
    private MlflowRestClient Client(string target, Uri server)
    {
        if (!clients.TryGetValue(target, out var client))
        {
            client = new MlflowRestClient(
                TrackingTarget.ForServer(server).Server!, MlflowCredentials.FromEnvironment(Environment.GetEnvironmentVariable),
                TimeSpan.FromSeconds(defaults.RequestTimeoutSeconds), RetryPolicy.From(defaults));
            clients[target] = client;
        }

        return client;
    }

    private static IEnumerable<string> SpoolFolders(string runsDirectory) =>
        Directory.EnumerateFiles(runsDirectory, RunSpool.RecordsFile, SearchOption.AllDirectories)
            .Select(f => Path.GetDirectoryName(f)!)
            .Where(d => Path.GetFileName(Path.GetDirectoryName(d)) == "mlflow")
            .Order(StringComparer.Ordinal);
}
