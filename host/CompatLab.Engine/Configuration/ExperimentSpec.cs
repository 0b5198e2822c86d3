using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>One experiment: data, models, the old and new training stages, evaluation and tracking.</summary>
public sealed class ExperimentSpec : IValidatedSpec
{
    [Description("Experiment name; runs are written under <output>/<name>/.")]
    public string Name { get; set; } = "experiment";

    [Description("The run seed; every other seed (data order, initialisation of each stage) is derived from it.")]
    public int Seed { get; set; } = 1;

    [Description("cpu, or cuda / cuda:N: runs on a CUDA libtorch (runtime.libtorch, COMPATLAB_LIBTORCH or a PyTorch installation; docs/gpu.md).")]
    public string Device { get; set; } = "cpu";

    [Description("Intra-op threads for torch; 0 means this process's share of the cores, max(1, cores / --workers).")]
    public int Threads { get; set; }

    [Description("Folder for run outputs, relative to the working directory.")]
    public string Output { get; set; } = "runs";

    public PluginsSpec Plugins { get; set; } = new();

    public DataSpec Data { get; set; } = new();

    public ModelSpec Model { get; set; } = new();

    public OldStageSpec Old { get; set; } = new();

    public NewStageSpec New { get; set; } = new();

    [Description("When present, the run trains one prunable network with PrunNet's multi-capacity step instead of an old and a new model.")]
    [OptionalSection]
    public PrunNetSpec? Prunnet { get; set; }

    [Description("libtorch location, precision, memory layout and cuDNN mode; absent: the defaults (fp32, nchw, deterministic).")]
    [OptionalSection]
    public RuntimeSpec? Runtime { get; set; }

    public EvaluationSpec Evaluation { get; set; } = new();

    public TrackingSpec Tracking { get; set; } = new();

    public CheckpointSpec Checkpoints { get; set; } = new();

    public void Validate(SpecProblems problems)
    {
        problems.Require(Device == "cpu" || Device == "cuda" || Device.StartsWith("cuda:", StringComparison.Ordinal), "device", $"expected cpu, cuda or cuda:N, got \"{Device}\"");
        problems.Require(Threads >= 0, "threads", "expected 0 (this process's share of the cores) or a positive number of threads");
        problems.Require(!string.IsNullOrWhiteSpace(Name) && Name.IndexOfAny(System.IO.Path.GetInvalidFileNameChars()) < 0 && !Name.Contains('/'), "name", "expected a name usable as a folder name");

        // Whether a compatibility loss is required depends on another section, so the experiment checks it.
        if (Prunnet is null)
        {
            problems.Require(!string.IsNullOrWhiteSpace(New.Loss.Type), "new:loss:type", "a value is required here, and none was given");
        }
        else
        {
            problems.Require(string.IsNullOrWhiteSpace(New.Loss.Type), "new:loss:type", $"a prunnet run trains one network with no compatibility loss; remove new.loss (or set its type to \"\"), got \"{New.Loss.Type}\"");
        }
    }
}
