using System.Diagnostics;
using CompatLab.Engine.Reproducibility;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Reproducibility;

/// <summary>The git state comes from the repository holding the experiment file, read from its .git files.</summary>
public class GitRepositoryTests
{
    private const string Commit = "0123456789abcdef0123456789abcdef01234567";

    [Fact]
    public void CommitAndBranchComeFromTheFilesRepositoryNotTheWorkingDirectory()
    {
        using var scratch = new ScratchFolder();
        scratch.File("repo/.git/HEAD", "ref: refs/heads/feature/x\n");
        scratch.File("repo/.git/refs/heads/feature/x", Commit + "\n");
        string file = scratch.File("repo/experiments/e.json", "{}");

        var repository = GitRepository.Containing(file)!;

        Assert.Equal(scratch.PathOf("repo"), repository.Root);
        Assert.Equal(Commit, repository.Commit);
        Assert.Equal("feature/x", repository.Branch);
        Assert.Equal("experiments/e.json", repository.RelativePath(file));
    }

    [Fact]
    public void WorktreeReadsItsHeadAndTheSharedPackedRefs()
    {
        using var scratch = new ScratchFolder();
        scratch.File("main/.git/packed-refs", $"# pack-refs with: peeled\n{Commit} refs/heads/topic\n");
        scratch.File("main/.git/worktrees/wt/HEAD", "ref: refs/heads/topic\n");
        scratch.File("main/.git/worktrees/wt/commondir", "../..\n");
        scratch.File("wt/.git", $"gitdir: {scratch.PathOf("main/.git/worktrees/wt")}\n");
        string file = scratch.File("wt/e.json", "{}");

        var repository = GitRepository.Containing(file)!;

        Assert.Equal(Commit, repository.Commit);
        Assert.Equal("topic", repository.Branch);
    }

    [Fact]
    public void DetachedHeadHasNoBranchAndAFileOutsideAnyRepositoryHasNoState()
    {
        using var scratch = new ScratchFolder();
        scratch.File("repo/.git/HEAD", Commit + "\n");
        Assert.Null(GitRepository.Containing(scratch.File("repo/e.json", "{}"))!.Branch);
        Assert.Null(GitRepository.Containing(scratch.File("elsewhere/e.json", "{}")));
    }

    [Fact]
    public void SourceTagsNameCommitBranchAndFileAndAreOmittedOutsideARepository()
    {
        var tags = new Dictionary<string, string>();
        SourceTags.Add(tags, new GitRepository("/r", Commit, "main", Dirty: true), "/r/experiments/q.json");
        Assert.Equal(Commit, tags["mlflow.source.git.commit"]);
        Assert.Equal("main", tags["mlflow.source.git.branch"]);
        Assert.Equal("experiments/q.json", tags["mlflow.source.name"]);
        Assert.Equal("true", tags["compatlab.git_dirty"]);

        var none = new Dictionary<string, string>();
        SourceTags.Add(none, null, "/tmp/q.json");
        Assert.Empty(none);
    }

    [Fact]
    public void DirtyFlagFollowsUncommittedChangesOfTrackedFiles()
    {
        using var scratch = new ScratchFolder();
        string file = scratch.File("repo/e.json", "{}");
        Git(scratch.PathOf("repo"), "init", "-q");
        Git(scratch.PathOf("repo"), "add", "e.json");
        Git(scratch.PathOf("repo"), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first");
        Assert.False(GitRepository.Containing(file)!.Dirty);

        File.WriteAllText(file, "{\"seed\": 2}");
        Assert.True(GitRepository.Containing(file)!.Dirty);
    }

    private static void Git(string folder, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
    }
}
