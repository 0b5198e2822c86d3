using CompatLab.Abstractions;
using CompatLab.Plugins.Datasets.Images;
using CompatLab.Tests.Support;
using Xunit;

namespace CompatLab.Tests.Images;

public class ImageListIndexTests
{
    [Fact]
    public void ACsvListWithStringLabelsAndRolesResolvesPathsAgainstItsFolder()
    {
        using var scratch = new ScratchFolder();
        TestImages.WritePng(scratch.PathOf("lists/img/a.png"));
        TestImages.WritePng(scratch.PathOf("lists/img/b.jpg"));
        TestImages.WritePng(scratch.PathOf("elsewhere/c.png"));
        string list = scratch.File("lists/list.csv", $"path,label,role\nimg/a.png,dog,train\nimg/b.jpg,cat,query\n{scratch.PathOf("elsewhere/c.png")},dog,\n");

        ImageIndex index = ImageListIndex.Read(list);

        Assert.Equal(["cat", "dog"], index.ClassNames);
        Assert.Equal(
            [(scratch.PathOf("lists/img/a.png"), 1, "train", 2), (scratch.PathOf("lists/img/b.jpg"), 0, "query", 3), (scratch.PathOf("elsewhere/c.png"), 1, null, 4)],
            index.Samples.Select(s => (s.Path, s.Label, s.Role, s.ListLine)));
    }

    [Fact]
    public void ATsvListWithIntegerLabelsOrdersClassesNumericallyAndTakesConfiguredColumns()
    {
        using var scratch = new ScratchFolder();
        foreach (string name in new[] { "a", "b", "c" })
        {
            TestImages.WritePng(scratch.PathOf($"{name}.png"));
        }

        string list = scratch.File("list.tsv", "file\tclass\nc.png\t10\na.png\t2\nb.png\t7\n");

        ImageIndex index = ImageListIndex.Read(list, new ImageListOptions { PathColumn = "file", LabelColumn = "class" });

        Assert.Equal(["2", "7", "10"], index.ClassNames);
        Assert.Equal([2, 0, 1], index.Samples.Select(s => s.Label));
    }

    [Theory]
    [InlineData("path,label\nimg/a.png,1\nimg/missing.png,1\n", ":3:", "missing.png does not exist")]
    [InlineData("path,label\nimg/a.png,1\nimg/a.png,2\n", ":3:", "listed twice (first on line 2)")]
    [InlineData("path,label\nimg/a.gif,1\n", ":2:", "is not an image file this reads")]
    [InlineData("path,label,role\nimg/a.png,1,test\n", ":2:", "role 'test' is not one of train, query, gallery")]
    [InlineData("path,label\nimg/a.png,\n", ":2:", "empty label")]
    [InlineData("path\tlabel\nimg/a.png\t1\n", ":1:", "seems to use another delimiter")]
    [InlineData("path,class\nimg/a.png,1\n", ":1:", "no column 'label'")]
    [InlineData("path,label\n", "", "no images")]
    [InlineData("", "", "the list is empty")]
    public void BadListsAreNamedWithTheLine(string content, string line, string message)
    {
        using var scratch = new ScratchFolder();
        TestImages.WritePng(scratch.PathOf("img/a.png"));
        string list = scratch.File("list.csv", content);

        var error = Assert.Throws<CompatLabUserException>(() => ImageListIndex.Read(list));

        Assert.StartsWith(list + line, error.Message);
        Assert.Contains(message, error.Message);
    }
}
