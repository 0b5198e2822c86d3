using CompatLab.Abstractions;

namespace CompatLab.Plugins.Datasets.Idx;

/// <summary>Finds an IDX file, accepting the same name with or without <c>.gz</c> when the exact name is missing.</summary>
internal static class IdxFileLocator
{
    private const string GzipSuffix = ".gz";

    /// <param name="missingHint">Appended to the not-found message (e.g. which package provides the file); may be empty.</param>
    public static string Locate(string path, string missingHint)
    {
        if (File.Exists(path))
        {
            return path;
        }

        string alternative = path.EndsWith(GzipSuffix, StringComparison.OrdinalIgnoreCase)
            ? path[..^GzipSuffix.Length]
            : path + GzipSuffix;
        if (File.Exists(alternative))
        {
            return alternative;
        }

        string message = $"{path}: file not found (also looked for {alternative}).";
        throw new CompatLabUserException(missingHint.Length == 0 ? message : $"{message} {missingHint}");
    }
}
