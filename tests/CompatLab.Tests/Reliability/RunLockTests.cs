using System.Diagnostics;
using System.Text.RegularExpressions;
using CompatLab.Abstractions;
using CompatLab.Engine.Matrix;
using CompatLab.Engine.Runs;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reliability;

/// <summary>One process per run folder; stale locks recovered; workers end with their coordinator.</summary>
public partial class RunLockTests
{
    [Fact]
    public void SecondHolderIsRefusedNamingTheFirst()
    {
        using var scratch = new ScratchFolder();
        using var first = RunLock.Acquire(scratch.PathOf("runs/tiny/run-abc"), TimeSpan.Zero, _ => { });

        var error = Assert.Throws<CompatLabUserException>(() => RunLock.Acquire(scratch.PathOf("runs/tiny/run-abc"), TimeSpan.FromMilliseconds(300), _ => { }));

        Assert.Contains($"runs/tiny/run-abc is being run by process {Environment.ProcessId}", error.Message);
    }

    [Fact]
    public void LockLeftByADeadProcessIsRecoveredAndReported()
    {
        using var scratch = new ScratchFolder();
        scratch.File("runs/tiny/.locks/run-abc.lock", string.Empty);
        scratch.File("runs/tiny/.locks/run-abc.owner", "999999 elsewhere 2026-01-01T00:00:00Z");
        var reports = new List<string>();

        using (RunLock.Acquire(scratch.PathOf("runs/tiny/run-abc"), TimeSpan.Zero, reports.Add))
        {
            Assert.Contains("recovered the lock left by process 999999 on elsewhere", Assert.Single(reports));
        }

        using var again = RunLock.Acquire(scratch.PathOf("runs/tiny/run-abc"), TimeSpan.Zero, reports.Add);
        Assert.Single(reports);
    }

    [Fact]
    public void SecondProcessOnTheSameRunIsRefusedWithExitCode2()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("e.json", TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }"""));
        string folder;
        using (var resolved = InProcessRun.Open(file))
        {
            folder = Path.Combine(scratch.Root, resolved.Experiment.RunFolder);
        }

        using var held = RunLock.Acquire(folder, TimeSpan.Zero, _ => { });
        var (exitCode, _, error) = CliProcess.Run(scratch.Root, "run", file);

        Assert.Equal(2, exitCode);
        Assert.Contains($"is being run by process {Environment.ProcessId}", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(File.Exists(Path.Combine(folder, "metrics.jsonl")), "the refused process wrote into the run");
    }

    [Fact]
    public void WatchdogFiresOnceWhenTheCoordinatorIsGone()
    {
        bool alive = true;
        int fired = 0;
        using var lost = new ManualResetEventSlim();
        using var watchdog = new CoordinatorWatchdog(() => Volatile.Read(ref alive), () => { Interlocked.Increment(ref fired); lost.Set(); }, TimeSpan.FromMilliseconds(20));
        Thread.Sleep(100);
        Assert.Equal(0, fired);

        Volatile.Write(ref alive, false);

        Assert.True(lost.Wait(TimeSpan.FromSeconds(5)));
        Thread.Sleep(100);
        Assert.Equal(1, fired);
    }

    [Fact]
    public void WorkersStopWhenTheirCoordinatorIsKilled()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("m.json", TinyExperiment.Json(extra: """, "tracking": { "trackers": [] }, "matrix": { "seeds": [1, 2] }""")
            .Replace("\"new\": { \"loss\": { \"type\": \"bct\" }, \"training\": { \"epochs\": 2", "\"new\": { \"loss\": { \"type\": \"bct\" }, \"training\": { \"epochs\": 5000", StringComparison.Ordinal));
        using var coordinator = Process.Start(CliProcess.StartInfo(scratch.Root, "run", file, "--workers", "2"))!;
        var workers = new List<int>();
        try
        {
            while (workers.Count < 2 && coordinator.StandardError.ReadLine() is { } line)
            {
                if (StartedWorker().Match(line) is { Success: true } match)
                {
                    workers.Add(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            Assert.Equal(2, workers.Count);
            Thread.Sleep(TimeSpan.FromSeconds(3));
            coordinator.Kill();

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (workers.Any(Running) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }

            Assert.False(workers.Any(Running), "a worker outlived its coordinator");
        }
        finally
        {
            foreach (int pid in workers.Where(Running))
            {
                Process.GetProcessById(pid).Kill();
            }
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].StartsWith('Z');
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"started \(pid (\d+),")]
    private static partial Regex StartedWorker();
}
