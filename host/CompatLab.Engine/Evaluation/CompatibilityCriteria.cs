namespace CompatLab.Engine.Evaluation;

/// <summary>The pairwise compatibility checks of methods.md §5, on one retrieval score (e.g. mAP).</summary>
public static class CompatibilityCriteria
{
    /// <summary>
    /// Empirical compatibility criterion: new queries against the old gallery must beat the old model against
    /// itself, M(new, old) &gt; M(old, old). Strict, so a tie fails; any NaN fails.
    /// </summary>
    public static bool Ecc(double crossScore, double oldSelfScore) => crossScore > oldSelfScore;

    /// <summary>
    /// Update gain (M(new, old) - M(old, old)) / (M(new*, new*) - M(old, old)), new* being the model trained
    /// without compatibility: the share of the independent model's improvement that the compatible update keeps.
    /// Returns NaN when the denominator is exactly 0 (new* gained nothing over old, so no share is defined) or
    /// any input is NaN; a negative denominator is kept, since it is a real (if unusual) measurement.
    /// </summary>
    public static double UpdateGain(double crossScore, double oldSelfScore, double independentSelfScore)
    {
        double independentGain = independentSelfScore - oldSelfScore;
        return independentGain == 0 ? double.NaN : (crossScore - oldSelfScore) / independentGain;
    }
}
