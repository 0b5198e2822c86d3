namespace CompatLab.Tests.Integrators;

/// <summary>
/// A Random whose Next(max) answers a fixed value (clamped below max), so the integrators' shuffles give a known
/// order: with the documented Fisher-Yates, always 0 reverses a two-partner order and always 1 keeps it ascending.
/// </summary>
internal sealed class ScriptedRandom : Random
{
    private readonly int answer;

    public ScriptedRandom(int answer)
    {
        this.answer = answer;
    }

    public int Draws { get; private set; }

    public override int Next(int maxValue)
    {
        Draws++;
        return Math.Min(answer, maxValue - 1);
    }
}
