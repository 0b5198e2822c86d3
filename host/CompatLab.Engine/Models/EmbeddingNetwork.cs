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

    public override Tensor forward(Tensor input) => projector_norm.forward(projector.forward(trunk.forward(input)));
}
