using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>One experiment: data, models, the old and new training stages, evaluation and tracking.</summary>
public sealed class ExperimentSpec
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
}
