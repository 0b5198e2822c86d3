namespace CompatLab.Plugins.Backbones;

/// <summary>The checks every backbone's <c>widths</c> option shares: the right count, all positive.</summary>
internal static class WidthRules
{
    public static IEnumerable<string> Check(int[] widths, int expectedCount)
    {
        if (widths.Length != expectedCount)
        {
            yield return $"widths must list exactly {expectedCount} channel counts (got {widths.Length}: [{string.Join(", ", widths)}]).";
            yield break;
        }

        for (int i = 0; i < widths.Length; i++)
        {
            if (widths[i] <= 0)
            {
                yield return $"widths[{i}] must be a positive channel count (got {widths[i]}).";
            }
        }
    }
}
