using CompatLab.Abstractions;
using CompatLab.Abstractions.Data;
using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Plugins;
using CompatLab.Engine.Reproducibility;
using CompatLab.Engine.Runtime;
using CompatLab.Engine.Tracking;
using TorchSharp;

namespace CompatLab.Engine.Runs;

/// <summary>
/// Runs one resolved experiment through its protocol plugin: the host loads the data, lets the protocol prepare
/// (its plugins and data splits, so bad input fails before the run folder is created and leaves nothing behind),
/// then owns the run folder (lock, config, manifest, state), the trackers and the result files while the protocol
/// trains and evaluates its stages through a <see cref="RunSession"/>. Every stage checkpoints, so a repeated
/// command resumes where it stopped.
/// </summary>
public sealed class ExperimentRunner
{
    /// <summary>How long a run waits for another process on the same run folder (a worker finishing its step) before refusing.</summary>
    public static readonly TimeSpan RunLockWait = TimeSpan.FromSeconds(10);

    private readonly PluginCatalog catalog;
    private readonly TextWriter messages;

    public ExperimentRunner(PluginCatalog catalog, TextWriter messages)
    {
        this.catalog = catalog;
        this.messages = messages;
    }

    /// <summary>The run folder of the matrix run this run belongs to (trackers link it as the parent), or null.</summary>
    public string? ParentRunFolder { get; init; }

    /// <summary>Processes running cells at once on this machine (the matrix's --workers), which share its cores.</summary>
    public int Workers { get; init; } = 1;

    /// <exception cref="CompatLabUserException">Bad input, a plugin that threw, or output that could not be
    /// written, each said in one line (<see cref="RunFailures"/>).</exception>
    public RunResult Run(ResolvedExperiment experiment, string source, bool force, CancellationToken cancel)
    {
        var failures = new RunFailures(catalog.Plugins, experiment.RunFolder);
        try
        {
            return Run(experiment, source, force, failures, cancel);
        }
        catch (Exception e)
        {
            RunFailures.Throw(failures.Describe(e));
            throw;
        }
    }

    public static RunResult ReadResult(string path) => RunOutputs.ReadResult(path);

    public static RunState? ReadState(string folder) => RunOutputs.ReadState(folder);

    /// <summary>The protocol plugin the experiment names, as the engine runs it.</summary>
    public static IProtocol AsProtocol(object instance, BoundPlugin protocol) =>
        instance as IProtocol
            ?? throw new CompatLabUserException(
                $"protocol plugin '{protocol.Descriptor.Name}' ({protocol.Descriptor.Implementation.FullName} in {protocol.Descriptor.AssemblyPath}) implements {nameof(Abstractions.Protocols.IExperimentProtocol)} but not {typeof(IProtocol).FullName}; a protocol plugin references CompatLab.Engine and implements its IProtocol");

    private RunResult Run(ResolvedExperiment experiment, string source, bool force, RunFailures failures, CancellationToken cancel)
    {
        var spec = experiment.Spec;
        if (!force && Finished(experiment) is { } done)
        {
            return done;
        }

        var threads = ThreadBudget.ForThisProcess(spec.Threads, Workers);
        torch.set_num_threads(threads.Torch);
        FreshMemoryFill.ApplyFromEnvironment();
        var device = torch.device(spec.Device);

        // Everything that can fail on the user's input happens before the run folder exists.
        using var dataset = ((IDatasetProvider)catalog.Create(experiment.Dataset.Descriptor, experiment.Dataset.Options)).Load(new DatasetLoadContext(spec.Seed) { DecodeWorkers = threads.Decode });
        using var session = new RunSession(experiment, dataset, device, catalog, messages, cancel);
        using var protocol = AsProtocol(session.Create<object>(experiment.Protocol), experiment.Protocol);
        protocol.Prepare(session);
        var pluginTrackers = experiment.Trackers.Select(session.Create<IExperimentTracker>).ToList();

        using var runLock = RunLock.Acquire(experiment.RunFolder, RunLockWait, m => messages.WriteLine(m));
        if (!force && Finished(experiment) is { } finishedMeanwhile)
        {
            return finishedMeanwhile; // by the process this one waited for
        }

        var runDevice = RunDevice.Current(spec.Device);
        using var tracker = StartFolder(experiment, source, force, dataset, pluginTrackers, runDevice);
        messages.WriteLine(threads.ToString()); // after the run's header, so a mistake in the input is the first thing said
        if (spec.Device != "cpu")
        {
            messages.WriteLine(runDevice.ToString());
        }
        session.Log = new RunLog(tracker, messages);
        return RunProtocol(protocol, session, tracker, failures);
    }

    /// <summary>Creates the run folder with its config, manifest and state, and starts the run in every tracker.</summary>
    private TrackerFanOut StartFolder(ResolvedExperiment experiment, string source, bool force, DatasetBundle dataset, IEnumerable<IExperimentTracker> pluginTrackers, RunDevice device)
    {
        string folder = experiment.RunFolder;
        if (force && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        messages.WriteLine($"== {experiment.Spec.Name} / {experiment.Label} -> {folder}");
        AtomicFile.WriteAllText(Path.Combine(folder, "config.json"), experiment.Resolved.ToJsonString(JsonFormats.Indented));
        var manifest = RunManifest.Capture(experiment, source, DatasetDigest.Inputs(dataset, experiment.Resolved["data"]?["dataset"]?.ToJsonString() ?? "{}"), device);
        manifest.Write(folder);
        SkippedSamplesFile.Write(folder, dataset.Skipped, messages);
        RunOutputs.WriteState(folder, experiment, RunState.Running);
        var tracker = new TrackerFanOut(new IExperimentTracker[] { new RunFolderTracker(m => messages.WriteLine("warning: " + m)) }.Concat(pluginTrackers), m => messages.WriteLine("warning: " + m));
        tracker.StartRun(new TrackedRun(experiment.Spec.Name, $"{experiment.Label}-{experiment.ContentHash}", experiment.ContentHash, Path.GetFullPath(folder), RunTags.Of(experiment, source, manifest.Git, ParentRunFolder)) { Inputs = manifest.Datasets });
        tracker.LogParams(SpecJson.Flatten(experiment.Resolved).ToDictionary(p => p.Key, p => p.Value));
        tracker.CutBack("eval", -1); // evaluation comes last: an earlier attempt's results are logged again below
        return tracker;
    }

    private static RunResult RunProtocol(IProtocol protocol, RunSession session, TrackerFanOut tracker, RunFailures failures)
    {
        var experiment = session.Experiment;
        string folder = experiment.RunFolder;
        try
        {
            var result = protocol.Run(session);
            RunOutputs.WriteResult(folder, result, tracker);
            RunOutputs.WriteState(folder, experiment, RunState.Finished);
            tracker.EndRun(RunStatus.Finished);
            return result;
        }
        catch (OperationCanceledException e)
        {
            RunOutputs.WriteState(folder, experiment, RunState.Killed, e.Message);
            tracker.EndRun(RunStatus.Killed);
            throw;
        }
        catch (Exception e)
        {
            var failure = failures.Describe(e);
            RunFailures.Quietly(() => RunOutputs.WriteState(folder, experiment, RunState.Failed, failure.Message));
            RunFailures.Quietly(() => tracker.EndRun(RunStatus.Failed));
            failures.SweepTemporaryFiles();
            RunFailures.Throw(failure);
            throw;
        }
    }

    private RunResult? Finished(ResolvedExperiment experiment)
    {
        string results = Path.Combine(experiment.RunFolder, "results.json");
        if (ReadState(experiment.RunFolder)?.Status != RunState.Finished || !File.Exists(results))
        {
            return null;
        }

        messages.WriteLine($"{experiment.Label}: already finished in {experiment.RunFolder} (pass --force to run it again)");
        return ReadResult(results);
    }
}
