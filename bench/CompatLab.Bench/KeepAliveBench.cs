using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CompatLab.Abstractions;
using CompatLab.Cli;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// <c>compatlab bench keepalive [--seconds 60] [--threads 1] [--collect 1]</c> (hidden; bench/keepalive.sh): small
/// tensor arithmetic whose scalars TorchSharp makes as temporaries (<c>a.add(b)</c>, <c>c.mul(2.0)</c>) on
/// <c>--threads</c> threads, while another thread forces garbage collections (<c>--collect 1</c>). Counts calls
/// and failures: libtorch refusing a freed scalar, or a wrong result. With <c>--collect 0</c> it measures what the
/// woven TorchSharp costs per call.
/// </summary>
public static class KeepAliveBench
{
    private static readonly string[] Known = ["seconds", "threads", "collect"];

    public static int Run(CliArguments arguments)
    {
        var options = new BenchOptions("keepalive", arguments.BenchOptions, Known);
        RuntimeSetup.Prepare("cpu", new RuntimeSpec { Deterministic = false });
        torch.set_num_threads(1);
        int seconds = options.PositiveInt("seconds", 60);
        int threads = options.PositiveInt("threads", 1);
        bool collect = options.Text("collect", "1") switch
        {
            "1" => true,
            "0" => false,
            var text => throw new CompatLabUserException($"bench keepalive: --collect must be 0 or 1, got '{text}'"),
        };
        var run = new Race(collect);
        var clock = Stopwatch.StartNew();
        run.Go(threads, TimeSpan.FromSeconds(seconds));
        string woven = TorchSharpKeepAlive.WovenHandleReads()?.ToString(CultureInfo.InvariantCulture) ?? "no";
        System.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT bench=keepalive woven={woven} threads={threads} collect={(collect ? 1 : 0)} seconds={clock.Elapsed.TotalSeconds:F1} calls={run.Calls} calls_per_second={run.Calls / clock.Elapsed.TotalSeconds:F0} collections={run.Collections} failures={run.Failures}"));
        foreach (var message in run.Messages.Distinct().Take(5))
        {
            System.Console.WriteLine($"failure: {message}");
        }
        return 0;
    }

    private sealed class Race(bool collect)
    {
        private volatile bool _stop;
        private long _calls;
        private long _failures;

        public long Calls => Interlocked.Read(ref _calls);

        public long Failures => Interlocked.Read(ref _failures);

        public long Collections { get; private set; }

        public System.Collections.Concurrent.ConcurrentBag<string> Messages { get; } = [];

        public void Go(int threads, TimeSpan length)
        {
            var workers = Enumerable.Range(0, threads).Select(_ => new Thread(Work)).ToList();
            var collector = new Thread(Collect);
            workers.ForEach(t => t.Start());
            collector.Start();
            Thread.Sleep(length);
            _stop = true;
            workers.ForEach(t => t.Join());
            collector.Join();
        }

        private void Collect()
        {
            while (collect && !_stop)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                Collections++;
            }
        }

        private void Work()
        {
            using var a = ones(4);
            using var b = ones(4);
            while (!_stop)
            {
                try
                {
                    using var sum = a.add(b);
                    using var twice = sum.mul(2.0);
                    float value = twice[0].item<float>();
                    if (value != 4f)
                    {
                        Fail($"wrong value {value}");
                    }
                }
                catch (ExternalException e)
                {
                    Fail(e.Message.Split('\n')[0]);
                }
                Interlocked.Increment(ref _calls);
            }
        }

        private void Fail(string message)
        {
            Interlocked.Increment(ref _failures);
            Messages.Add(message);
        }
    }
}
