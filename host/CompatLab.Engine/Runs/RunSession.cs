using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Hosting;
using CompatLab.Engine.Configuration;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Tracking;
using CompatLab.Engine.Training;
using static TorchSharp.torch;

namespace CompatLab.Engine.Runs;

/// <summary>
/// What a protocol gets from the host for one run: the resolved experiment, its loaded dataset, the device, seed
/// streams, plugin instances, checkpoint stores, the run's log (metrics to the trackers, messages to the console)
/// and the cancellation token. The protocol owns the stages; the host owns the run folder, its state and tracking.
/// Plugins it creates get the session's log, seed streams and device in their constructors (<see cref="PluginScope"/>);
/// before the run has started the log writes messages only.
/// </summary>
public sealed class RunSession : ISeedStreams, IPluginLog, IDisposable
{
    private readonly PluginScope plugins;
    private RunLog? log;

    public RunSession(ResolvedExperiment experiment, DatasetBundle dataset, Device device, PluginCatalog catalog, TextWriter messages, CancellationToken cancel)
    {
        Experiment = experiment;
        Dataset = dataset;
        Device = device;
        Messages = messages;
        Cancel = cancel;
        plugins = catalog.BeginRun(this, this, device);
    }

    public ResolvedExperiment Experiment { get; }

    public ExperimentSpec Spec => Experiment.Spec;

    public DatasetBundle Dataset { get; }

    /// <summary>The dataset's image shape (channels, height, width), as backbones are built for it.</summary>
    public (long Channels, long Height, long Width) Input => (Dataset.Channels, Dataset.Height, Dataset.Width);

    public Device Device { get; }

    /// <summary>Console messages that are not part of the run's log (lock waits, pruning progress).</summary>
    public TextWriter Messages { get; }

    public CancellationToken Cancel { get; }

    public string RunFolder => Experiment.RunFolder;

    /// <summary>The run's log; it exists once the run folder and its trackers do, so from <see cref="IProtocol.Run"/> on.</summary>
    public RunLog Log
    {
        get => log ?? throw new InvalidOperationException("the run log exists once the run has started: use it in Run, not in Prepare");
        internal set => log = value;
    }

    public int RunSeed => Spec.Seed;

    public long Seed(string purpose) => SeedDerivation.Derive(Spec.Seed, purpose);

    public int IntSeed(string purpose) => SeedDerivation.DeriveInt(Spec.Seed, purpose);

    /// <summary>How the stages load their batches: the run seed's "samples" stream and data.loader.prefetch.</summary>
    public LoaderSettings Loader => LoaderSettings.For(Spec.Seed, Spec.Data.Loader?.Prefetch ?? LoaderSettings.DefaultPrefetch);

    /// <summary>A new instance of a plugin the experiment chose; the caller disposes it if it is disposable.</summary>
    public T Create<T>(BoundPlugin plugin)
        where T : class => (T)plugins.Create(plugin.Descriptor, plugin.Options);

    /// <summary>A checkpoint store in <paramref name="folder"/> keeping as many checkpoints as the experiment asks.</summary>
    public CheckpointStore Checkpoints(string folder) => new(folder, Spec.Checkpoints.Keep);

    public void Info(string message) => (log is null ? Messages.WriteLine : (Action<string>)log.Info)(message);

    public void Warn(string message)
    {
        if (log is null)
        {
            Messages.WriteLine("warning: " + message);
            return;
        }

        log.Warn(message);
    }

    /// <summary>A metric for the run's trackers; one reported before the run has started has nowhere to go and is dropped.</summary>
    public void Metric(string key, double value, long step) => log?.Metric(key, value, step);

    public void Report(string key, double value, long step) => Metric(key, value, step);

    public void Dispose() => plugins.Dispose();
}
