using CompatLab.Abstractions;
using CompatLab.Abstractions.Plugins;
using CompatLab.Abstractions.Training;
using CompatLab.Sdk.Integrators;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Integrators;

/// <summary>
/// PrunNet's conflict-aware integrator. Row by row (one conv filter a row), each task's gradient is projected off
/// a conflicting partner, always starting from its original row; partners come in a shuffled order and the last
/// conflicting one decides the row. Tasks whose gradient the projection bent most get the least weight:
/// <c>a_i = ((cos(projected_i, g_i) + 1) / 2)^p</c>, <c>w_i = a_i / sum a</c>, <c>g = T * sum_i w_i projected_i</c>.
/// </summary>
[CompatLabPlugin(
    PluginKind.GradientIntegrator,
    "conflict-aware",
    Description = "PrunNet: row-wise projection of conflicting task gradients from the original gradient, cosine-based task weights, g = (N+1) * sum w_i g^_i.",
    Options = typeof(ConflictAwareOptions))]
public sealed class ConflictAware : IGradientIntegrator
{
    private readonly double exponent;

    public ConflictAware(ConflictAwareOptions options)
    {
        string[] problems = options.Validate().ToArray();
        if (problems.Length > 0)
        {
            throw new CompatLabUserException($"integrator 'conflict-aware': {string.Join(" ", problems)}");
        }

        exponent = options.P;
    }

    public GradientIntegration Integrate(IReadOnlyList<Tensor> taskGradients, GradientIntegrationContext context)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        int tasks = taskGradients.Count;
        var original = TaskGradients.StackRows(taskGradients, context.RowWise);
        var projected = ProjectRows(original, PartnerPositions(tasks, context.Random));

        var weights = Weights(original.reshape(tasks, -1), projected.reshape(tasks, -1));
        var merged = (weights.unsqueeze(1) * projected.reshape(tasks, -1)).sum(dim: 0).mul(tasks).reshape(taskGradients[0].shape);
        double[] weightValues = weights.to(ScalarType.Float64).cpu().data<double>().ToArray();
        var telemetry = ConflictTelemetry.Measure(original, weightValues);
        return new GradientIntegration(merged.MoveToOuterDisposeScope(), telemetry);
    }

    /// <summary>[tasks, tasks]: where task j stands in task i's shuffled order; -1 on the diagonal (never a partner).</summary>
    private static Tensor PartnerPositions(int tasks, Random random)
    {
        long[] positions = new long[tasks * tasks];
        for (int i = 0; i < tasks; i++)
        {
            positions[(i * tasks) + i] = -1;
            int[] order = TaskOrder.Shuffled(i, tasks, random);
            for (int k = 0; k < order.Length; k++)
            {
                positions[(i * tasks) + order[k]] = k;
            }
        }

        return tensor(positions).reshape(tasks, tasks);
    }

    /// <summary>
    /// For every (task i, row r) the partner that decides the row is the conflicting j latest in i's order (a later
    /// j overwrites the row); the row is projected off that partner's row, starting from the original g_i[r].
    /// </summary>
    private static Tensor ProjectRows(Tensor original, Tensor partnerPositions)
    {
        long tasks = original.shape[0];
        long rows = original.shape[1];
        var rowDots = einsum("ird,jrd->ijr", original, original);
        var rowSquaredNorms = original.square().sum(2);
        var positions = partnerPositions.to(original.device).unsqueeze(2).expand(tasks, tasks, rows);
        var rank = where(rowDots.lt(0), positions, full_like(positions, -1));
        var (latest, partner) = rank.max(1);
        var conflicted = latest.ge(0);

        var rowIndex = arange(rows, device: original.device).unsqueeze(0);
        var partnerRows = original.reshape(tasks * rows, -1).index_select(0, (partner * rows + rowIndex).reshape(-1)).reshape(original.shape);
        var dotWithPartner = rowDots.gather(1, partner.unsqueeze(1)).squeeze(1);
        var partnerSquaredNorm = rowSquaredNorms.gather(0, partner);
        var coefficients = where(conflicted, dotWithPartner / partnerSquaredNorm, zeros_like(dotWithPartner));
        return original - (coefficients.unsqueeze(2) * partnerRows);
    }

    /// <summary>w_i from the cosine between each task's projected and original gradient over the whole tensor.</summary>
    private Tensor Weights(Tensor original, Tensor projected)
    {
        var norms = (original.square().sum(1) * projected.square().sum(1)).sqrt();
        var dots = (original * projected).sum(1);

        // A zero gradient stays zero under projection: count it as unbent (cosine 1) instead of 0/0.
        var cosine = where(norms.gt(0), dots / norms, ones_like(dots)).clamp(-1, 1);
        var affinity = cosine.add(1).div(2).pow(exponent);
        return affinity / affinity.sum();
    }
}
