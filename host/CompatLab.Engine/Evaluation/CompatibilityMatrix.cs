namespace CompatLab.Engine.Evaluation;

/// <summary>
/// Scores of a model sequence phi_1..phi_T as the lower triangle C[t][k] = M(phi_t queries, phi_k gallery),
/// k &lt;= t (methods.md §5). Indices are 0-based here: row t holds t + 1 entries.
/// </summary>
public sealed class CompatibilityMatrix
{
    private readonly double[][] _rows;

    public CompatibilityMatrix(IReadOnlyList<IReadOnlyList<double>> lowerTriangle)
    {
        ArgumentNullException.ThrowIfNull(lowerTriangle);
        if (lowerTriangle.Count == 0)
        {
            throw new ArgumentException("A compatibility matrix needs at least one model.", nameof(lowerTriangle));
        }

        _rows = new double[lowerTriangle.Count][];
        for (int t = 0; t < lowerTriangle.Count; t++)
        {
            if (lowerTriangle[t].Count != t + 1)
            {
                throw new ArgumentException(
                    $"Row {t} of the compatibility matrix must hold {t + 1} entries (galleries 0..{t}), got {lowerTriangle[t].Count}.",
                    nameof(lowerTriangle));
            }

            _rows[t] = lowerTriangle[t].ToArray();
        }
    }

    /// <summary>Models in the sequence (T).</summary>
    public int ModelCount => _rows.Length;

    /// <summary>C[t][k]: model t's queries against model k's gallery, k &lt;= t.</summary>
    public double this[int queryModel, int galleryModel] =>
        galleryModel <= queryModel
            ? _rows[queryModel][galleryModel]
            : throw new ArgumentOutOfRangeException(nameof(galleryModel), galleryModel, "Only galleries of earlier or the same models are filled (k <= t).");

    /// <summary>
    /// AC: fraction of the pairs t &gt; k whose cross-test reaches the older model's self-test, C[t][k] &gt;= C[k][k].
    /// NaN for a single model, which has no pairs.
    /// </summary>
    public double AverageCompatibility
    {
        get
        {
            int pairs = 0;
            int compatible = 0;
            for (int t = 1; t < _rows.Length; t++)
            {
                for (int k = 0; k < t; k++)
                {
                    pairs++;
                    if (_rows[t][k] >= _rows[k][k])
                    {
                        compatible++;
                    }
                }
            }

            return pairs == 0 ? double.NaN : (double)compatible / pairs;
        }
    }

    /// <summary>AM: mean of all filled entries, self-tests on the diagonal included.</summary>
    public double AverageMultiModelAccuracy => _rows.SelectMany(row => row).Average();
}
