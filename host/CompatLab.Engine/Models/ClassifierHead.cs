using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Engine.Models;

/// <summary>The classification head: linear (W x + b) or cosine (scale * cos(x, w), no bias).</summary>
public sealed class ClassifierHead : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    private readonly Parameter weight;
    private readonly Parameter? bias;
#pragma warning restore IDE1006

    public ClassifierHead(long embeddingDim, long classes, bool cosine, double scale)
        : base(nameof(ClassifierHead))
    {
        Cosine = cosine;
        Scale = cosine ? scale : 1.0;
        weight = new Parameter(empty(classes, embeddingDim));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        if (!cosine)
        {
            double bound = 1.0 / Math.Sqrt(embeddingDim);
            bias = new Parameter(empty(classes));
            nn.init.uniform_(bias, -bound, bound);
        }

        RegisterComponents();
    }

    public bool Cosine { get; }

    public double Scale { get; }

    public Parameter Weight => weight;

    public Parameter? Bias => bias;

    public override Tensor forward(Tensor embeddings)
    {
        if (!Cosine)
        {
            return nn.functional.linear(embeddings, weight, bias);
        }

        var normalised = nn.functional.normalize(embeddings, p: 2, dim: 1);
        var rows = nn.functional.normalize(weight, p: 2, dim: 1);
        return normalised.matmul(rows.t()).mul_(Scale);
    }
}
