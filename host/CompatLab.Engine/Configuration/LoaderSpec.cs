using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

/// <summary>How training batches are loaded; it never changes a result, so it is left out of the run's content hash.</summary>
public sealed class LoaderSpec : IValidatedSpec
{
    public const int DefaultPrefetch = 2;

    [Description("Training batches loaded ahead on a background thread while the step trains (memory grows by this many batches); 0 loads each batch inline.")]
    public int Prefetch { get; set; } = DefaultPrefetch;

    public void Validate(SpecProblems problems) =>
        problems.Require(Prefetch >= 0, "prefetch", "expected 0 (load inline) or a positive number of batches");
}
