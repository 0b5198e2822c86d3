using CompatLab.Abstractions;
using CsvHelper;

namespace CompatLab.Plugins.Datasets.Images;

/// <summary>One checked line of an image list: an existing image file, its label text and its role, if any.</summary>
internal sealed record ListRow(string Path, string Label, string? Role, int Line)
{
    public static ListRow Parse(CsvReader csv, string listPath, int line, string folder, int pathIndex, int labelIndex, int roleIndex, bool requireFile = true)
    {
        string where = $"{listPath}:{line}";
        string path = csv.GetField(pathIndex)?.Trim() ?? string.Empty;
        string label = csv.GetField(labelIndex)?.Trim() ?? string.Empty;
        if (path.Length == 0 || label.Length == 0)
        {
            throw new CompatLabUserException($"{where}: empty {(path.Length == 0 ? "path" : "label")}; every line needs a path and a label.");
        }

        string fullPath = System.IO.Path.GetFullPath(path, folder);
        if (!ImageFormats.HasImageExtension(fullPath))
        {
            throw new CompatLabUserException($"{where}: {path} is not an image file this reads (expected {ImageFormats.ExtensionList}).");
        }

        if (requireFile && !File.Exists(fullPath))
        {
            throw new CompatLabUserException($"{where}: {fullPath} does not exist (relative paths are resolved against {folder}).");
        }

        string? role = roleIndex >= 0 ? csv.GetField(roleIndex)?.Trim() : null;
        role = string.IsNullOrEmpty(role) ? null : role;
        if (role is not null && !ImageListIndex.Roles.Contains(role))
        {
            throw new CompatLabUserException($"{where}: role '{role}' is not one of {string.Join(", ", ImageListIndex.Roles)}.");
        }

        return new ListRow(fullPath, label, role, line);
    }
}
