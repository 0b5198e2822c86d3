using CompatLab.Plugins.Losses.Classifiers;
using CompatLab.Sdk.State;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Losses.Prototypes;

/// <summary>
/// The old prototypes <c>o_c = norm(mean phi_o | c)</c>, their perturbation <c>delta</c> (0 until a refresh) and
/// the pseudo-old prototypes <c>p_c = norm(o_c + delta_c)</c> as a frozen scaled-cosine classifier.
/// </summary>
public sealed class PseudoOldPrototypes : IDisposable
{
    private const string DeltaKey = "delta";
    private readonly Tensor means;
    private readonly Tensor old;
    private readonly Tensor delta;
    private readonly double scale;
    private PrototypeClassifier classifier;

    /// <param name="oldClassMeans">Raw old class means [classes, d_old]; copied.</param>
    /// <param name="scale">The scale s of the logits s * cos(phi, p_c).</param>
    public PseudoOldPrototypes(Tensor oldClassMeans, double scale)
    {
        using var scope = NewDisposeScope();
        this.scale = scale;
        means = LossState.Snapshot(oldClassMeans.to(ScalarType.Float32));
        old = LossState.Snapshot(nn.functional.normalize(means, p: 2, dim: 1));
        delta = LossState.Snapshot(zeros_like(means));
        classifier = Build();
    }

    /// <summary>o [classes, d_old], unit rows. Read only.</summary>
    public Tensor Old => old;

    /// <summary>delta [classes, d_old]. Read only; change it with <see cref="SetDelta"/>.</summary>
    public Tensor Delta => delta;

    public long Width => old.shape[1];

    public long ClassCount => old.shape[0];

    /// <summary>Scores embeddings against p (logits s * cos); gradients reach only the embeddings.</summary>
    public IFrozenClassifier Classifier => classifier;

    /// <summary>p = norm(o + delta) [classes, d_old], a new tensor in the caller's scope.</summary>
    public Tensor Current() => nn.functional.normalize(old.add(delta), p: 2, dim: 1);

    public void SetDelta(Tensor value)
    {
        using (no_grad())
        {
            delta.copy_(value);
        }

        PrototypeClassifier next = Build();
        classifier.Dispose();
        classifier = next;
    }

    public void SaveTo(IDictionary<string, Tensor> snapshot) => snapshot[DeltaKey] = LossState.Snapshot(delta);

    public void LoadFrom(IReadOnlyDictionary<string, Tensor> state, string plugin)
    {
        LossState.Restore(state, DeltaKey, delta, plugin);
        SetDelta(delta);
    }

    public void Dispose()
    {
        classifier.Dispose();
        means.Dispose();
        old.Dispose();
        delta.Dispose();
    }

    // The classifier normalises its rows itself. Handing it m_c + ||m_c|| delta_c = ||m_c|| (o_c + delta_c) gives
    // norm(o_c + delta_c), and with delta = 0 it is handed the raw means, exactly as bct-proto is: the zero
    // perturbation then reproduces bct-proto bit for bit instead of up to a second normalisation's rounding.
    private PrototypeClassifier Build()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor rows = means.add(delta.mul(means.norm(1, keepdim: true)));
        return new PrototypeClassifier(rows, scale);
    }
}
