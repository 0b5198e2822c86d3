using CompatLab.Abstractions;
using CompatLab.Cli.Runtime;
using CompatLab.Engine.Runtime;

namespace CompatLab.Bench;

/// <summary>`compatlab-bench bench NAME [--option value ...]`: the hidden benchmarks that bench/*.sh call through ./compatlab.</summary>
public static class Program
{
    private const string Names = "prunnet-step, eval, train, gpu-step, search, stream-eval, images, images-split, decoders, gemm, keepalive";

    public static int Main(string[] args)
    {
        // The same start-up as the CLI's, so a benchmark measures the allocator and ISA a run gets.
        OneDnnIsa.Apply();
        JemallocRestart.RestartOnJemallocIfInstalled();
        NativeHeap.KeepFreedMemory();
        InternalErrorReport.CatchOnOtherThreads();
        try
        {
            // The CLI's parser reads --name value pairs only after the word "bench".
            var arguments = CliArguments.Parse(args.FirstOrDefault() == "bench" ? args : ["bench", .. args]);
            return arguments.Words.ElementAtOrDefault(1) switch
            {
                "prunnet-step" => PrunNetStepBench.Run(arguments),
                "eval" => EvalBench.Run(arguments),
                "train" => TrainBench.Run(arguments),
                "gpu-step" => GpuStepBench.Run(arguments),
                "search" => SearchBench.Run(arguments),
                "stream-eval" => StreamEvalBench.Run(arguments),
                "images" => ImagesBench.Run(arguments),
                "images-split" => ImagesSplitBench.Run(arguments),
                "decoders" => DecodersBench.Run(arguments),
                "gemm" => GemmBench.Run(arguments),
                "keepalive" => KeepAliveBench.Run(arguments),
                var name => throw new CompatLabUserException($"unknown bench '{name}'; benches: {Names}"),
            };
        }
        catch (CompatLabUserException e)
        {
            System.Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return InternalErrorReport.Report(e, System.Console.Error, Environment.CurrentDirectory);
        }
    }
}
