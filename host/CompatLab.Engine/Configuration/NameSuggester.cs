namespace CompatLab.Engine.Configuration;

/// <summary>Finds the known names closest to a mistyped one (edit distance), for "did you mean" hints.</summary>
public static class NameSuggester
{
    public static IReadOnlyList<string> Nearest(string wanted, IEnumerable<string> known, int max = 3)
    {
        string lowered = wanted.ToLowerInvariant();
        return known
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(k => (Name: k, Distance: Distance(lowered, k.ToLowerInvariant())))
            .Where(c => c.Distance <= Math.Max(2, lowered.Length / 2) || c.Name.Contains(lowered, StringComparison.OrdinalIgnoreCase))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(max)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>" (did you mean 'a' or 'b'?)", or empty when nothing is close.</summary>
    public static string Hint(string wanted, IEnumerable<string> known)
    {
        var nearest = Nearest(wanted, known);
        return nearest.Count == 0 ? string.Empty : $" (did you mean {string.Join(" or ", nearest.Select(n => $"'{n}'"))}?)";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
