using System.Runtime.InteropServices;

namespace CompatLab.Cli.Runtime;

/// <summary>
/// Turns every outside request to stop into one cancellation a run checks between steps (it then checkpoints and
/// stops): the first Ctrl+C (a second one ends the process at once), a scheduler's SIGTERM (Slurm preemption, a
/// time limit), and the end of a matrix worker's coordinator.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource interrupt = new();
    private readonly PosixSignalRegistration terminate;
    private readonly IDisposable? watchdog;

    private StopSignals()
    {
        System.Console.CancelKeyPress += OnCancelKey;
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            interrupt.Cancel();
        });

        // Instead of running on unwatched, a worker whose coordinator is gone stops like after Ctrl+C.
        watchdog = Engine.Matrix.CoordinatorWatchdog.FromEnvironment(coordinator =>
        {
            System.Console.Error.WriteLine($"interrupt: coordinator process {coordinator} is gone; stopping after this step");
            interrupt.Cancel();
        });
    }

    public CancellationToken Token => interrupt.Token;

    public static StopSignals Install() => new();

    public void Dispose()
    {
        System.Console.CancelKeyPress -= OnCancelKey;
        watchdog?.Dispose();
        terminate.Dispose();
        interrupt.Dispose();
    }

    private void OnCancelKey(object? sender, ConsoleCancelEventArgs e)
    {
        if (interrupt.IsCancellationRequested)
        {
            return; // the second Ctrl+C: let the process end
        }

        e.Cancel = true;
        interrupt.Cancel();
        System.Console.Error.WriteLine("\ninterrupt: stopping after this step (press Ctrl+C again to abort now)");
    }
}
