using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>Where libtorch comes from and how the training step runs on it (precision, memory layout, cuDNN).</summary>
public sealed class RuntimeSpec : IValidatedSpec
{
    public static readonly IReadOnlyList<string> Precisions = ["fp32", "bf16"];

    public static readonly IReadOnlyList<string> MemoryFormats = ["nchw", "channelsLast"];

    [Description("A libtorch lib folder to run on (e.g. <site-packages>/torch/lib); empty: COMPATLAB_LIBTORCH, else for cuda the torch of 'python', else the bundled CPU libtorch.")]
    public string Libtorch { get; set; } = string.Empty;

    [Description("The Python interpreter whose torch package provides a CUDA libtorch when device is cuda.")]
    public string Python { get; set; } = "python3";

    [Description("fp32, or bf16: forward and backward on a bfloat16 copy of the model, fp32 master weights updated by the optimiser.")]
    public string Precision { get; set; } = "fp32";

    [Description("nchw, or channelsLast: convolution weights and input batches in NHWC strides (faster convolutions on GPUs).")]
    public string MemoryFormat { get; set; } = "nchw";

    [Description("true: cuDNN picks reproducible kernels; false: cuDNN autotunes (benchmark), faster, not bit-reproducible.")]
    public bool Deterministic { get; set; } = true;

    /// <summary>The values alone; whether cuda works on the loaded libtorch is the run's check (Runs.RuntimeChecks).</summary>
    public void Validate(SpecProblems problems)
    {
        if (!Precisions.Contains(Precision))
        {
            problems.Add("precision", $"expected one of {string.Join(", ", Precisions)}, got \"{Precision}\"");
        }
        else if (Precision == "bf16")
        {
            // A bf16 step needs fp32 master weights beside a bf16 working copy of the model, which runs do not
            // keep yet; the bench and the self-test measure bf16 (compatlab bench gpu-step --precision bf16).
            problems.Add("precision", "bf16 training is not available in runs yet (only in 'compatlab bench gpu-step'); use fp32");
        }

        if (!MemoryFormats.Contains(MemoryFormat))
        {
            problems.Add("memoryFormat", $"expected one of {string.Join(", ", MemoryFormats)}, got \"{MemoryFormat}\"");
        }
    }
}
