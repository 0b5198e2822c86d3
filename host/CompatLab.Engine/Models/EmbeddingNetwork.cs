using CompatLab.Abstractions.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Engine.Models;

/// <summary>A backbone's trunk followed by the shared embedding projector (Linear to d, then BatchNorm1d).</summary>
public sealed class EmbeddingNetwork : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the state-dict keys
    private readonly FeatureExtractor trunk;
    private readonly Linear projector;
    private readonly BatchNorm1d projector_norm;
#pragma warning restore IDE1006

    public EmbeddingNetwork(FeatureExtractor trunk, long embeddingDim)
        : base(nameof(EmbeddingNetwork))
    {
        this.trunk = trunk;
        EmbeddingDim = embeddingDim;
        projector = nn.Linear(trunk.OutputDim, embeddingDim);
        projector_norm = nn.BatchNorm1d(embeddingDim);
        RegisterComponents();
    }

    public long EmbeddingDim { get; }

    public FeatureExtractor Trunk => trunk;

    public override Tensor forward(Tensor input)
    {
        // The trunk's features and the projection are released once used: autograd keeps what backward needs, so
        // an inference batch does not hold every activation until its scope ends. A trunk that hands back its own
        // input (an identity backbone) leaves it to the caller.
        var features = trunk.forward(input);
        try
        {
            using var projected = projector.forward(features);
            return projector_norm.forward(projected);
        }
        finally
        {
            if (!ReferenceEquals(features, input))
            {
                features.Dispose();
            }
        }
    }
}
