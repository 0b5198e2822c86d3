using System.Globalization;
using CompatLab.Abstractions;
using CsvHelper;
using CsvHelper.Configuration;

namespace CompatLab.Plugins.Datasets.Images;

/// <summary>
/// Reads an image list: a CSV (or TSV) file with a header naming a path column, a label column and optionally a role
/// column (<c>train</c>, <c>query</c> or <c>gallery</c>). Relative paths are resolved against the list's folder.
/// Labels are strings or integers: when every label is an integer, classes are ordered numerically, otherwise
/// ordinally as text; class ids are the positions in that order, so integer labels 3, 7, 9 become classes 0, 1, 2
/// named "3", "7", "9". Every problem names the list, the line and what was expected.
/// </summary>
public static class ImageListIndex
{
    public static readonly IReadOnlyList<string> Roles = ["train", "query", "gallery"];

    public static ImageIndex Read(string listPath, ImageListOptions? options = null)
    {
        options ??= new ImageListOptions();
        if (!File.Exists(listPath))
        {
            throw new CompatLabUserException($"{listPath}: image list not found.");
        }

        string delimiter = options.Delimiter
            ?? (Path.GetExtension(listPath).Equals(".tsv", StringComparison.OrdinalIgnoreCase) ? "\t" : ",");
        string folder = Path.GetDirectoryName(Path.GetFullPath(listPath))!;
        var rows = ReadRows(listPath, delimiter, options, folder);
        if (rows.Count == 0)
        {
            throw new CompatLabUserException($"{listPath}: the list has a header but no images.");
        }

        string[] classNames = ClassOrder(rows.Select(r => r.Label).Distinct());
        var ids = classNames.Select((name, id) => (name, id)).ToDictionary(p => p.name, p => p.id, StringComparer.Ordinal);
        return new ImageIndex(classNames, rows.Select(r => new ImageSample(r.Path, ids[r.Label], r.Role, r.Line)).ToArray());
    }

    private static List<ListRow> ReadRows(string listPath, string delimiter, ImageListOptions options, string folder)
    {
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = delimiter, DetectColumnCountChanges = true };
        using var reader = new StreamReader(listPath);
        using var csv = new CsvReader(reader, configuration);
        if (!csv.Read() || !csv.ReadHeader())
        {
            throw new CompatLabUserException($"{listPath}: the list is empty; expected a header line naming the columns {options.PathColumn} and {options.LabelColumn}.");
        }

        string[] header = csv.HeaderRecord ?? [];
        int pathIndex = ColumnIndex(listPath, header, options.PathColumn, delimiter, options);
        int labelIndex = ColumnIndex(listPath, header, options.LabelColumn, delimiter, options);
        int roleIndex = Array.IndexOf(header, options.RoleColumn);
        var rows = new List<ListRow>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            while (csv.Read())
            {
                int line = csv.Parser.RawRow;
                var row = ListRow.Parse(csv, listPath, line, folder, pathIndex, labelIndex, roleIndex, options.RequireFiles);
                if (!firstLineOf.TryAdd(row.Path, line))
                {
                    throw new CompatLabUserException($"{listPath}:{line}: {row.Path} is listed twice (first on line {firstLineOf[row.Path]}); each image may appear once.");
                }

                rows.Add(row);
            }
        }
        catch (BadDataException e)
        {
            throw new CompatLabUserException($"{listPath}:{e.Context?.Parser?.RawRow}: malformed line ({e.Message.Split('\n')[0]}).");
        }

        return rows;
    }

    private static int ColumnIndex(string listPath, string[] header, string column, string delimiter, ImageListOptions options)
    {
        int index = Array.IndexOf(header, column);
        if (index >= 0)
        {
            return index;
        }

        string other = delimiter == "\t" ? "," : "\t";
        string hint = header.Length == 1 && header[0].Contains(other, StringComparison.Ordinal)
            ? $" The header is one column holding '{(other == "\t" ? "\\t" : other)}': the file seems to use another delimiter than '{(delimiter == "\t" ? "\\t" : delimiter)}' (a .tsv name means tab, any other a comma)."
            : string.Empty;
        throw new CompatLabUserException(
            $"{listPath}:1: no column '{column}'; expected columns {options.PathColumn}, {options.LabelColumn} and optionally {options.RoleColumn}, found: {string.Join(", ", header)}.{hint}");
    }

    private static string[] ClassOrder(IEnumerable<string> labels)
    {
        string[] distinct = labels.ToArray();
        bool allIntegers = distinct.All(l => long.TryParse(l, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        return allIntegers
            ? distinct.OrderBy(l => long.Parse(l, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)).ToArray()
            : distinct.Order(StringComparer.Ordinal).ToArray();
    }
}
