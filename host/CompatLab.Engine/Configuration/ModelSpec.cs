using System.ComponentModel;

namespace CompatLab.Engine.Configuration;

public sealed class ModelSpec
{
    [Description("The backbone plugin (trunk); the host adds the projector and the classifier.")]
    public PluginRef Backbone { get; set; } = new("resnet-mini");

    [Description("Width d of the embedding (projector output).")]
    public int EmbeddingDim { get; set; } = 128;

    public ClassifierSpec Classifier { get; set; } = new();
}
