namespace CompatLab.Engine.Reproducibility;

/// <summary>
/// Checks that a document shows the table a run printed: the first table of the printed text (its header row names
/// the columns) is looked up in the document by that header, and the two are compared row by row, cell by cell, as
/// text: the document must show exactly what the build prints.
/// </summary>
public static class MarkdownTableCheck
{
    /// <returns>The differences, each one line; empty when the document shows the table unchanged.</returns>
    public static IReadOnlyList<string> Compare(string document, string printed)
    {
        var expected = Tables(printed).FirstOrDefault();
        if (expected is null)
        {
            return ["the run's output holds no Markdown table"];
        }

        var shown = Tables(document).FirstOrDefault(t => t[0] == expected[0]);
        if (shown is null)
        {
            return [$"the document has no table with the header {expected[0]}"];
        }

        var problems = new List<string>();
        int rows = Math.Max(expected.Count, shown.Count);
        for (int i = 2; i < rows; i++)
        {
            string? want = i < expected.Count ? expected[i] : null;
            string? have = i < shown.Count ? shown[i] : null;
            if (want != have)
            {
                problems.Add($"row {i - 1}: document has {have ?? "(no row)"}; the run prints {want ?? "(no row)"}");
            }
        }

        return problems;
    }

    /// <summary>Each block of consecutive lines starting with '|' that has a header and a separator row, cells trimmed.</summary>
    public static List<List<string>> Tables(string text)
    {
        var tables = new List<List<string>>();
        List<string>? current = null;
        foreach (string raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            string line = raw.Trim();
            if (line.StartsWith('|'))
            {
                (current ??= new List<string>()).Add(Normalise(line));
                continue;
            }

            Close(tables, ref current);
        }

        Close(tables, ref current);
        return tables;
    }

    private static void Close(List<List<string>> tables, ref List<string>? current)
    {
        if (current is { Count: >= 2 } && current[1].Replace("|", string.Empty).Trim('-', ':', ' ').Length == 0)
        {
            tables.Add(current);
        }

        current = null;
    }

    private static string Normalise(string line) => "| " + string.Join(" | ", line.Trim('|').Split('|').Select(c => c.Trim())) + " |";
}
