using System.Text;
using CompatLab.Abstractions.Tracking;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Tracking;

/// <summary>Credentials come from MLflow's environment variables, reach the server, and are written nowhere.</summary>
[Collection(MlflowEnvironmentCollection.Name)]
public class CredentialTests
{
    [Fact]
    public void BasicCredentialsReachTheServerAndNoFile()
    {
        const string Password = "pw-7f3a9c-secret";
        string basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + Password));
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer { RequiredAuthorization = basic };
        using (new EnvironmentVariables(("MLFLOW_TRACKING_USERNAME", "alice"), ("MLFLOW_TRACKING_PASSWORD", Password), ("MLFLOW_TRACKING_TOKEN", null)))
        {
            RunWithAnOutage(scratch, server);
        }

        Assert.All(server.SeenAuthorizations, a => Assert.Equal(basic, a));
        Assert.Equal("FINISHED", server.SingleRun().Status);
        AssertNowhereIn(scratch.Root, Password, basic[6..]);
    }

    [Fact]
    public void ATokenWinsOverUserAndPassword()
    {
        const string Token = "tok-91b2-secret";
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer { RequiredAuthorization = "Bearer " + Token };
        using (new EnvironmentVariables(("MLFLOW_TRACKING_USERNAME", "alice"), ("MLFLOW_TRACKING_PASSWORD", "pw"), ("MLFLOW_TRACKING_TOKEN", Token)))
        {
            RunWithAnOutage(scratch, server);
        }

        Assert.Equal("FINISHED", server.SingleRun().Status);
        AssertNowhereIn(scratch.Root, Token);
    }

    [Fact]
    public void RefusedCredentialsKeepTheRecordsForALaterSync()
    {
        using var scratch = new ScratchFolder();
        using var server = new FakeMlflowServer { RequiredAuthorization = "Bearer right" };
        string runs = scratch.PathOf("runs");
        using (new EnvironmentVariables(("MLFLOW_TRACKING_USERNAME", null), ("MLFLOW_TRACKING_PASSWORD", null), ("MLFLOW_TRACKING_TOKEN", "wrong")))
        {
            using var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address));
            tracker.StartRun(MlflowPlugin.Run(Path.Combine(runs, "tiny", "run-abc123def456")));
            tracker.LogMetrics(new[] { new MetricPoint("loss", 1, 1, 10) });
            tracker.EndRun(RunStatus.Finished);
        }

        Assert.Empty(server.Runs());
        using (new EnvironmentVariables(("MLFLOW_TRACKING_TOKEN", "right")))
        {
            Assert.Equal(0, MlflowPlugin.Sync(runs, new StringWriter()));
        }

        Assert.Equal(new[] { ("loss", 1.0, 1L, 10L) }, server.SingleRun().Metrics);
    }

    private static void RunWithAnOutage(ScratchFolder scratch, FakeMlflowServer server)
    {
        string runs = scratch.PathOf("runs");
        using (var tracker = MlflowPlugin.Create(MlflowPlugin.ServerOptions(server.Address)))
        {
            tracker.StartRun(MlflowPlugin.Run(Path.Combine(runs, "tiny", "run-abc123def456")));
            tracker.LogParams(new Dictionary<string, string> { ["a"] = "1" });
            server.Stop();
            tracker.LogMetrics(new[] { new MetricPoint("loss", 1, 1, 10) });
            tracker.EndRun(RunStatus.Finished);
        }

        server.Start();
        Assert.Equal(0, MlflowPlugin.Sync(runs, new StringWriter()));
    }

    private static void AssertNowhereIn(string root, params string[] secrets)
    {
        foreach (string file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            string content = File.ReadAllText(file);
            foreach (string secret in secrets)
            {
                Assert.False(content.Contains(secret, StringComparison.Ordinal), $"{file} holds a secret");
            }
        }
    }
}
