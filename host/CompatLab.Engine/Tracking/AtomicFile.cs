using System.Text;

namespace CompatLab.Engine.Tracking;

/// <summary>
/// Writes a file so that readers (and a crash) only ever see the old content or the complete new one: a temporary
/// file beside it, flushed to disk, renamed over it. A failed write (disk full, no permission) removes its
/// temporary file before the error goes on.
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string content) =>
        Write(path, stream => stream.Write(new UTF8Encoding(false).GetBytes(content)));

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> atomically (model copies, artifacts).</summary>
    public static void Copy(string source, string destination) =>
        Write(destination, stream =>
        {
            using var input = File.OpenRead(source);
            input.CopyTo(stream);
        });

    /// <summary>Runs <paramref name="write"/> on a temporary path, then renames it to <paramref name="path"/>.</summary>
    public static void Replace(string path, Action<string> write)
    {
        string temporary = TemporaryPath(path);
        try
        {
            write(temporary);
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            DeleteQuietly(temporary);
            throw;
        }
    }

    /// <summary>The temporary name for <paramref name="path"/>: beside it, so the rename stays on one file system.</summary>
    public static string TemporaryPath(string path) => path + ".tmp";

    /// <summary>Removes a leftover temporary file; a second failure must not hide the first one.</summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The error that made the file a leftover is the one worth reporting.
        }
    }

    private static void Write(string path, Action<FileStream> fill)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        Replace(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
            fill(stream);
            stream.Flush(flushToDisk: true);
        });
    }
}
