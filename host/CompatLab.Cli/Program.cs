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
        using var interrupt = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) =>
        {
            if (!interrupt.IsCancellationRequested)
            {
                // First Ctrl+C: finish the step, checkpoint, stop. A second one ends the process at once.
                e.Cancel = true;
                interrupt.Cancel();
                System.Console.Error.WriteLine("\ninterrupt: stopping after this step (press Ctrl+C again to abort now)");
            }
        };

        // A scheduler's SIGTERM (Slurm preemption, a time limit) is handled like the first Ctrl+C.
        using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            interrupt.Cancel();
        });

        // A matrix worker stops (checkpointing) when its coordinator is gone, instead of running on unwatched.
        using var watchdog = Engine.Matrix.CoordinatorWatchdog.FromEnvironment(coordinator =>
        {
            System.Console.Error.WriteLine($"interrupt: coordinator process {coordinator} is gone; stopping after this step");
            interrupt.Cancel();
        });

        try
        {
            var arguments = CliArguments.Parse(args);
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
                "run" or "matrix" => Commands.Run(arguments, interrupt.Token),
                "prune" => PruneCommand.Run(arguments, interrupt.Token),
                "export" => ExportCommand.Run(arguments),
                "repro" => ReproCommand.Run(arguments, interrupt.Token),
                "results" when arguments.Words.ElementAtOrDefault(1) == "check" => ReproCommand.CheckTable(arguments),
                "plugins" => Commands.Plugins(arguments),
                "config" when arguments.Words.ElementAtOrDefault(1) == "show" => Commands.ConfigShow(arguments),
                "tracking" when arguments.Words.ElementAtOrDefault(1) == "sync" => Commands.TrackingSync(arguments),
                "version" => Version(),
                "doctor" => Doctor.Run(arguments),
                "selftest" when arguments.Words.ElementAtOrDefault(1) == "gpu" => SelfTest.GpuSelfTestCommand.Run(arguments),
                "data" => Data.DataCommand.Run(arguments),
                "bench" => throw new CompatLabUserException("the benchmarks are a program of their own (bench/CompatLab.Bench): run './compatlab bench NAME ...' from the repository"),
                _ => throw new CompatLabUserException($"unknown command '{string.Join(' ', arguments.Words.Take(2))}'; commands: run, matrix, prune, export, repro, results check, config show, tracking sync, plugins, doctor, data export-images (see 'compatlab --help')"),
            };
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

    private static int Version()
    {
        System.Console.WriteLine($"compatlab {typeof(Program).Assembly.GetName().Version?.ToString(3)} (plugin contract {Abstractions.Plugins.ContractVersion.Current.ToString(2)}; native memory: {Jemalloc.ActiveAllocator()}; oneDNN ISA: {OneDnnIsa.Describe()})");
        return 0;
    }
}
