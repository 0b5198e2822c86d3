namespace CompatLab.Tests.Support;

/// <summary>A temporary working folder for a test, removed afterwards.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        Root = Directory.CreateTempSubdirectory("compatlab-test-").FullName;
    }

    public string Root { get; }

    public string File(string name, string content)
    {
        string path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A killed child process may still be releasing files; the OS temp cleaner gets the rest.
        }
    }
}
