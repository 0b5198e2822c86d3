using System.Globalization;
using System.Runtime.InteropServices;

namespace CompatLab.Engine.Matrix;

/// <summary>
/// Ends a worker process with its coordinator. The coordinator names itself in <see cref="Variable"/>; the worker
/// checks every second that its parent is still that process (Linux gives an orphan a new parent) and, once it is
/// not, stops the way an interrupt does: after the current step, with a checkpoint, so a rerun resumes the cell
/// instead of racing a leftover worker.
/// </summary>
public sealed class CoordinatorWatchdog : IDisposable
{
    public const string Variable = "COMPATLAB_COORDINATOR_PID";

    private readonly Func<bool> coordinatorAlive;
    private readonly Action lost;
    private readonly Timer timer;
    private int fired;

    public CoordinatorWatchdog(Func<bool> coordinatorAlive, Action lost, TimeSpan interval)
    {
        this.coordinatorAlive = coordinatorAlive;
        this.lost = lost;
        timer = new Timer(_ => Check(), null, TimeSpan.Zero, interval);
    }

    /// <summary>Starts watching when this process was started by a coordinator; null otherwise.</summary>
    public static CoordinatorWatchdog? FromEnvironment(Action<int> lost)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(Variable), NumberStyles.None, CultureInfo.InvariantCulture, out int coordinator) || !OperatingSystem.IsLinux())
        {
            return null;
        }

        return new CoordinatorWatchdog(() => getppid() == coordinator, () => lost(coordinator), TimeSpan.FromSeconds(1));
    }

    public void Dispose() => timer.Dispose();

    private void Check()
    {
        if (!coordinatorAlive() && Interlocked.Exchange(ref fired, 1) == 0)
        {
            lost();
        }
    }

#pragma warning disable SA1300, IDE1006 // the C function's own name
    [DllImport("libc", ExactSpelling = true)]
    private static extern int getppid();
#pragma warning restore SA1300, IDE1006
}
