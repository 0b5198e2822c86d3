using CompatLab.Abstractions;
using CompatLab.Plugins.Tracking.MLflow.Rest;

namespace CompatLab.Plugins.Tracking.MLflow.Spool;

/// <summary>
/// 'compatlab tracking sync': finds every run's spool under a runs folder and sends its pending records to the
/// server recorded in it (credentials from the environment, as always). Spools held by a running process are left
/// alone; a server that cannot be reached is not tried again for its other spools in the same sync.
/// </summary>
internal static class SpoolSync
{
    public static int Run(string runsDirectory, TextWriter messages)
    {
        if (!Directory.Exists(runsDirectory))
        {
            throw new CompatLabUserException($"tracking sync: '{runsDirectory}' is not a folder; expected a runs folder (an experiment's \"output\", by default 'runs')");
        }

        var defaults = new MlflowTrackerOptions();
        var clients = new Dictionary<string, MlflowRestClient>(StringComparer.Ordinal);
        var unreachable = new HashSet<string>(StringComparer.Ordinal);
        int spools = 0, sent = 0, waiting = 0;
        try
        {
            foreach (string folder in SpoolFolders(runsDirectory))
            {
                string runFolder = Path.GetDirectoryName(Path.GetDirectoryName(folder)!)!;
                var book = RunBookkeeping.Load(folder);
                if (book is null || !Uri.TryCreate(book.Target, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
                {
                    messages.WriteLine($"{runFolder}: skipped, {Path.Combine(folder, RunBookkeeping.FileName)} is missing or names no server");
                    continue;
                }

                using var spool = RunSpool.TryOpen(folder);
                if (spool is null)
                {
                    messages.WriteLine($"{runFolder}: skipped, a running process is tracking it");
                    waiting++;
                    continue;
                }

                int pending = spool.PendingCount;
                if (pending == 0)
                {
                    continue;
                }

                spools++;
                if (unreachable.Contains(book.Target))
                {
                    waiting += pending;
                    continue;
                }

                if (!clients.TryGetValue(book.Target, out var client))
                {
                    client = new MlflowRestClient(
                        TrackingTarget.ForServer(server).Server!, MlflowCredentials.FromEnvironment(Environment.GetEnvironmentVariable),
                        TimeSpan.FromSeconds(defaults.RequestTimeoutSeconds), RetryPolicy.From(defaults));
                    clients[book.Target] = client;
                }

                try
                {
                    int delivered = new SpoolDelivery(client, spool, book, m => messages.WriteLine("warning: mlflow: " + m)).DeliverPending();
                    sent += delivered;
                    messages.WriteLine($"{runFolder}: sent {delivered} record(s) to {book.Target}");
                }
                catch (Exception e) when (e is MlflowUnreachableException or MlflowApiException)
                {
                    messages.WriteLine($"{runFolder}: {e.Message}");
                    if (e is MlflowUnreachableException || (e is MlflowApiException api && api.IsAuthentication))
                    {
                        unreachable.Add(book.Target);
                    }
                }

                waiting += spool.PendingCount;
            }
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }

        messages.WriteLine($"tracking sync: {spools} run(s) had records to send; {sent} record(s) sent, {waiting} still waiting");
        return waiting;
    }

    private static IEnumerable<string> SpoolFolders(string runsDirectory) =>
        Directory.EnumerateFiles(runsDirectory, RunSpool.RecordsFile, SearchOption.AllDirectories)
            .Select(f => Path.GetDirectoryName(f)!)
            .Where(d => Path.GetFileName(Path.GetDirectoryName(d)) == "mlflow")
            .Order(StringComparer.Ordinal);
}
