using CompatLab.Abstractions;
using CompatLab.Engine.Runtime;

namespace CompatLab.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        // Before anything else: an allocator is chosen when a process starts. Under glibc (jemalloc not installed, or
        // COMPATLAB_ALLOCATOR=glibc), training steps then reuse freed memory instead of faulting it in again.
        OneDnnIsa.Apply();
        Runtime.JemallocRestart.RestartOnJemallocIfInstalled();
        NativeHeap.KeepFreedMemory();
        Runtime.InternalErrorReport.CatchOnOtherThreads();
        using var stop = Runtime.StopSignals.Install();
        try
        {
            return Dispatch(CliArguments.Parse(args), stop.Token);
        }
        catch (CompatLabUserException e)
        {
            System.Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException e)
        {
            System.Console.Error.WriteLine($"interrupted: {e.Message}");
            return 130;
        }
        catch (Exception e)
        {
            return Runtime.InternalErrorReport.Report(e, System.Console.Error, Environment.CurrentDirectory);
        }
    }

    private static int Dispatch(CliArguments arguments, CancellationToken cancel)
    {
        string command = arguments.Words.FirstOrDefault() ?? string.Empty;
        if (arguments.Help || command is "" or "help")
        {
            System.Console.WriteLine(Usage.Text);
            return command.Length == 0 && !arguments.Help ? 2 : 0;
        }

        if (command != "prune" && arguments.Prune.Given().FirstOrDefault(o => !(command == "export" && o == "--out")) is { } pruneOption)
        {
            throw new CompatLabUserException($"{pruneOption} belongs to 'compatlab prune', not '{command}'; see 'compatlab --help'");
        }

        return command switch
        {
            "run" or "matrix" => Commands.Run(arguments, cancel),
            "prune" => PruneCommand.Run(arguments, cancel),
            "export" => ExportCommand.Run(arguments),
            "repro" => ReproCommand.Run(arguments, cancel),
            "results" when arguments.Words.ElementAtOrDefault(1) == "check" => ReproCommand.CheckTable(arguments),
            "plugins" => Commands.Plugins(arguments),
            "config" when arguments.Words.ElementAtOrDefault(1) == "show" => Commands.ConfigShow(arguments),
            "config" when arguments.Words.ElementAtOrDefault(1) == "defaults" => Commands.ConfigDefaults(),
            "tracking" when arguments.Words.ElementAtOrDefault(1) == "sync" => Commands.TrackingSync(arguments),
            "version" => Version(),
            "doctor" => Doctor.Run(arguments),
            "selftest" when arguments.Words.ElementAtOrDefault(1) == "gpu" => SelfTest.GpuSelfTestCommand.Run(arguments),
            "data" => Data.DataCommand.Run(arguments),
            "bench" => throw new CompatLabUserException("the benchmarks are a program of their own (bench/CompatLab.Bench): run './compatlab bench NAME ...' from the repository"),
            _ => throw new CompatLabUserException($"unknown command '{string.Join(' ', arguments.Words.Take(2))}'; commands: run, matrix, prune, export, repro, results check, config show, config defaults, tracking sync, plugins, doctor, data export-images (see 'compatlab --help')"),
        };
    }

    private static int Version()
    {
        System.Console.WriteLine($"compatlab {typeof(Program).Assembly.GetName().Version?.ToString(3)} (plugin contract {Abstractions.Plugins.ContractVersion.Current.ToString(2)}; native memory: {Jemalloc.ActiveAllocator()}; oneDNN ISA: {OneDnnIsa.Describe()})");
        return 0;
    }
}
