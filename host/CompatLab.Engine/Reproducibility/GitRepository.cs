using System.Diagnostics;

namespace CompatLab.Engine.Reproducibility;

/// <summary>
/// The git state of the repository holding a file: its root, commit, branch and whether tracked files have
/// uncommitted changes. Commit and branch are read from the .git files themselves (worktrees included), so they are
/// known without git installed; the dirty flag needs git and is null when it cannot be learned.
/// </summary>
public sealed record GitRepository(string Root, string Commit, string? Branch, bool? Dirty)
{
    /// <summary>The repository holding <paramref name="path"/> (a file or folder), or null when it is in none.</summary>
    public static GitRepository? Containing(string path)
    {
        string full = Path.GetFullPath(path);
        for (var dir = File.Exists(full) ? new FileInfo(full).Directory : new DirectoryInfo(full); dir is not null; dir = dir.Parent)
        {
            string dotGit = Path.Combine(dir.FullName, ".git");
            string? gitDir = Directory.Exists(dotGit) ? dotGit : File.Exists(dotGit) ? LinkedGitDir(dotGit, dir.FullName) : null;
            if (gitDir is null)
            {
                continue;
            }

            var (commit, branch) = ReadHead(gitDir);
            return commit is null ? null : new GitRepository(dir.FullName, commit, branch, IsDirty(dir.FullName));
        }

        return null;
    }

    /// <summary>The path of <paramref name="file"/> relative to the repository root, with '/'.</summary>
    public string RelativePath(string file) => Path.GetRelativePath(Root, Path.GetFullPath(file)).Replace('\\', '/');

    // A worktree or submodule has a .git file: "gitdir: <path>".
    private static string? LinkedGitDir(string dotGitFile, string root)
    {
        string text = File.ReadAllText(dotGitFile).Trim();
        return text.StartsWith("gitdir:", StringComparison.Ordinal) ? Path.GetFullPath(Path.Combine(root, text["gitdir:".Length..].Trim())) : null;
    }

    private static (string? Commit, string? Branch) ReadHead(string gitDir)
    {
        string headFile = Path.Combine(gitDir, "HEAD");
        if (!File.Exists(headFile))
        {
            return (null, null);
        }

        string head = File.ReadAllText(headFile).Trim();
        if (!head.StartsWith("ref: ", StringComparison.Ordinal))
        {
            return (head, null); // detached HEAD
        }

        string reference = head[5..];
        string branch = reference.StartsWith("refs/heads/", StringComparison.Ordinal) ? reference["refs/heads/".Length..] : reference;

        // A worktree keeps its HEAD but shares refs with the main repository ("commondir").
        string commonFile = Path.Combine(gitDir, "commondir");
        string common = File.Exists(commonFile) ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(commonFile).Trim())) : gitDir;
        foreach (string dir in new[] { gitDir, common }.Distinct())
        {
            string loose = Path.Combine(dir, reference);
            if (File.Exists(loose))
            {
                return (File.ReadAllText(loose).Trim(), branch);
            }

            string packed = Path.Combine(dir, "packed-refs");
            if (File.Exists(packed) && File.ReadLines(packed).Select(l => l.Split(' ')).FirstOrDefault(p => p.Length == 2 && p[1] == reference) is { } found)
            {
                return (found[0], branch);
            }
        }

        return (null, branch); // a branch with no commit yet
    }

    /// <summary>Whether tracked files differ from the commit; null when git is not installed or fails.</summary>
    private static bool? IsDirty(string root)
    {
        try
        {
            var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string word in new[] { "-C", root, "status", "--porcelain", "--untracked-files=no" })
            {
                info.ArgumentList.Add(word);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = error.Result;
            return process.ExitCode == 0 ? output.Trim().Length > 0 : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // no git on this machine
        }
    }
}
