using CompatLab.Abstractions;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Images;

public class ImageFolderIndexTests
{
    [Fact]
    public void ClassesFollowOrdinalFolderOrderAndEveryImageBelowThemIsFound()
    {
        using var scratch = new ScratchFolder();
        TestImages.WritePng(scratch.PathOf("b/2.png"));
        TestImages.WritePng(scratch.PathOf("b/1.PNG"));
        TestImages.WritePng(scratch.PathOf("a/deep/er/x.png"));
        TestImages.WritePng(scratch.PathOf("Cat/y.png"));
        scratch.File("a/notes.txt", "not an image");
        scratch.File("b/photo.JPEG", "an image by its name");
        scratch.File("stray.png", "at the root: no class");

        ImageIndex index = ImageFolderIndex.Build(scratch.Root);

        Assert.Equal(["Cat", "a", "b"], index.ClassNames);
        Assert.Equal(
            [("Cat/y.png", 0), ("a/deep/er/x.png", 1), ("b/1.PNG", 2), ("b/2.png", 2), ("b/photo.JPEG", 2)],
            index.Samples.Select(s => (Path.GetRelativePath(scratch.Root, s.Path), s.Label)));
        Assert.All(index.Samples, s => Assert.Null(s.Role));
    }

    [Fact]
    public void AClassFolderWithoutImagesIsNamed()
    {
        using var scratch = new ScratchFolder();
        TestImages.WritePng(scratch.PathOf("a/x.png"));
        scratch.File("b/readme.txt", "no images here");

        var error = Assert.Throws<CompatLabUserException>(() => ImageFolderIndex.Build(scratch.Root));

        Assert.Contains(scratch.PathOf("b"), error.Message);
        Assert.Contains("holds no images", error.Message);
    }

    [Fact]
    public void ASymbolicLinkLoopIsRefused()
    {
        using var scratch = new ScratchFolder();
        TestImages.WritePng(scratch.PathOf("a/x.png"));
        Directory.CreateSymbolicLink(scratch.PathOf("a/again"), scratch.PathOf("a"));

        var error = Assert.Throws<CompatLabUserException>(() => ImageFolderIndex.Build(scratch.Root));

        Assert.Contains(scratch.PathOf("a/again"), error.Message);
        Assert.Contains("symbolic link loop", error.Message);
    }

    [Fact]
    public void AMissingOrEmptyRootIsNamed()
    {
        using var scratch = new ScratchFolder();

        var missing = Assert.Throws<CompatLabUserException>(() => ImageFolderIndex.Build(scratch.PathOf("nope")));
        var empty = Assert.Throws<CompatLabUserException>(() => ImageFolderIndex.Build(scratch.Root));

        Assert.Contains("image folder not found", missing.Message);
        Assert.Contains("no class folders", empty.Message);
    }
}
