using System.IO.Compression;

namespace CompatLab.Tests.Datasets;

/// <summary>A fresh temporary folder, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Root = Directory.CreateTempSubdirectory("compatlab-datasets-").FullName;
    }

    public string Root { get; }

    public string Write(string name, byte[] content, bool gzip = false)
    {
        string path = Path.Combine(Root, name);
        if (gzip)
        {
            using var file = System.IO.File.Create(path);
            using var compressor = new GZipStream(file, CompressionLevel.Fastest);
            compressor.Write(content);
        }
        else
        {
            System.IO.File.WriteAllBytes(path, content);
        }

        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
