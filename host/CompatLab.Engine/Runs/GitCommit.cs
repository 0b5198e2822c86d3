namespace CompatLab.Engine.Runs;

/// <summary>Reads the current commit from a .git folder above the working directory, without running git.</summary>
public static class GitCommit
{
    public static string? Find(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            string gitDir = Path.Combine(dir.FullName, ".git");
            if (!Directory.Exists(gitDir))
            {
                continue;
            }

            string head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
            if (!head.StartsWith("ref: ", StringComparison.Ordinal))
            {
                return head;
            }

            string reference = head[5..];
            string loose = Path.Combine(gitDir, reference);
            if (File.Exists(loose))
            {
                return File.ReadAllText(loose).Trim();
            }

            string packed = Path.Combine(gitDir, "packed-refs");
            return File.Exists(packed)
                ? File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == reference)?[0]
                : null;
        }

        return null;
    }
}
