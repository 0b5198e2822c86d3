using CompatLab.Abstractions;

namespace CompatLab.Plugins.Datasets.Images;

/// <summary>
/// Indexes an image folder the way torchvision's ImageFolder does: each sub-folder of the root is a class, class ids
/// follow the folder names in ordinal (code point) order, and every file with an image extension
/// (<see cref="ImageFormats"/>) below a class folder, at any depth, is an image of that class, in ordinal path
/// order. Files of other kinds are skipped (a README or a thumbnail cache is not an error), files at the root too.
/// Symbolic links are followed, but a link back into a folder being walked is refused, since it would never end.
/// </summary>
public static class ImageFolderIndex
{
    public static ImageIndex Build(string root)
    {
        if (!Directory.Exists(root))
        {
            throw new CompatLabUserException($"{root}: image folder not found (expected one sub-folder per class).");
        }

        string[] classFolders = Directory.GetDirectories(root).Order(StringComparer.Ordinal).ToArray();
        if (classFolders.Length == 0)
        {
            throw new CompatLabUserException($"{root}: no class folders; an image folder holds one sub-folder per class, with the images inside.");
        }

        var samples = new List<ImageSample>();
        for (int label = 0; label < classFolders.Length; label++)
        {
            int before = samples.Count;
            var images = new List<string>();
            CollectImages(classFolders[label], [], images);
            images.Sort(StringComparer.Ordinal);
            samples.AddRange(images.Select(path => new ImageSample(path, label, null, 0)));
            if (samples.Count == before)
            {
                throw new CompatLabUserException(
                    $"{classFolders[label]}: the class folder holds no images ({ImageFormats.ExtensionList}); remove it or add its images.");
            }
        }

        return new ImageIndex(classFolders.Select(f => Path.GetFileName(f)).ToArray(), samples);
    }

    /// <param name="walking">Real paths of the folders from the class folder down to this one.</param>
    private static void CollectImages(string folder, HashSet<string> walking, List<string> images)
    {
        string real = RealPath(folder);
        if (!walking.Add(real))
        {
            throw new CompatLabUserException($"{folder}: symbolic link loop (it leads back to {real}, which contains it).");
        }

        foreach (string file in Directory.GetFiles(folder))
        {
            if (ImageFormats.HasImageExtension(file))
            {
                images.Add(file);
            }
        }

        foreach (string child in Directory.GetDirectories(folder))
        {
            CollectImages(child, walking, images);
        }

        walking.Remove(real);
    }

    private static string RealPath(string folder)
    {
        var info = new DirectoryInfo(folder);
        string resolved = info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;

        // A link's target may itself lie below a linked folder: resolve each parent too.
        string? parent = Path.GetDirectoryName(resolved);
        return parent is null || parent == resolved ? resolved : Path.Combine(RealPath(parent), Path.GetFileName(resolved));
    }
}
