namespace CompatLab.Testing;

/// <summary>A check's own failure (as opposed to the plugin throwing); its message is the whole explanation.</summary>
internal sealed class ConformanceViolation : Exception
{
    public ConformanceViolation(string message)
        : base(message)
    {
    }

    public static void Unless(bool condition, string message)
    {
        if (!condition)
        {
            throw new ConformanceViolation(message);
        }
    }
}
