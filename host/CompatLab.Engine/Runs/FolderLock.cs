namespace CompatLab.Engine.Runs;

/// <summary>
/// An exclusive lock on a folder through a lock file held open without sharing, so parallel processes that need
/// the same cached old model wait for one of them to train it. The operating system drops the lock if a holder dies.
/// </summary>
public sealed class FolderLock : IDisposable
{
    private readonly FileStream stream;

    private FolderLock(FileStream stream)
    {
        this.stream = stream;
    }

    public static FolderLock Acquire(string folder, Action<string> waiting)
    {
        string path = Path.Combine(folder, ".lock");
        bool told = false;
        while (true)
        {
            try
            {
                return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                if (!told)
                {
                    waiting($"waiting for another process that holds {path}");
                    told = true;
                }

                Thread.Sleep(500);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
