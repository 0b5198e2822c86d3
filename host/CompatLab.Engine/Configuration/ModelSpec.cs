using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class ModelSpec : IValidatedSpec
{
    [Description("The backbone plugin (trunk); the host adds the projector and the classifier; default from defaults.json.")]
    public PluginRef Backbone { get; set; } = new();

    [Description("Width d of the embedding (projector output).")]
    public int EmbeddingDim { get; set; } = 128;

    public ClassifierSpec Classifier { get; set; } = new();

    [Description("Weights for the backbone's trunk from a local file, loaded after the seeded initialisation.")]
    [OptionalSection]
    public PretrainedSpec? Pretrained { get; set; }

    public void Validate(SpecProblems problems) =>
        problems.Require(EmbeddingDim > 0, "embeddingDim", "expected a positive width");
}
