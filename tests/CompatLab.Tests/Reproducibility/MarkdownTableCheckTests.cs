using CompatLab.Engine.Reproducibility;
using Xunit;

namespace CompatLab.Tests.Reproducibility;

public class MarkdownTableCheckTests
{
    private const string Printed = """
        | run | loss | seed | cross mAP |
        |---|---|---|---|
        | bct | bct | 1 | 0.6278 |
        | independent | independent | 1 | 0.1711 |

        failed: nothing
        """;

    [Fact]
    public void DocumentShowingThePrintedTableWithOtherSpacingPasses()
    {
        string document = "# Quickstart\n\nText.\n\n|run|loss|seed|cross mAP|\n|:--|---|---|--:|\n| bct | bct | 1 | 0.6278 |\n|independent|independent|1|0.1711|\n\nMore text.\n";
        Assert.Empty(MarkdownTableCheck.Compare(document, Printed));
    }

    [Fact]
    public void StaleNumberAndMissingRowAreNamed()
    {
        string document = "| run | loss | seed | cross mAP |\n|---|---|---|---|\n| bct | bct | 1 | 0.6278 |\n| independent | independent | 1 | 0.1927 |\n";
        var problems = MarkdownTableCheck.Compare(document, Printed);
        Assert.Equal("row 2: document has | independent | independent | 1 | 0.1927 |; the run prints | independent | independent | 1 | 0.1711 |", problems.Single());

        var missing = MarkdownTableCheck.Compare("| run | loss | seed | cross mAP |\n|---|---|---|---|\n| bct | bct | 1 | 0.6278 |\n", Printed);
        Assert.Contains("(no row)", missing.Single());
    }

    [Fact]
    public void DocumentWithoutTheTableOrOutputWithoutOneIsReported()
    {
        Assert.Contains("no table with the header", MarkdownTableCheck.Compare("| a | b |\n|---|---|\n| 1 | 2 |\n", Printed).Single());
        Assert.Contains("holds no Markdown table", MarkdownTableCheck.Compare("anything", "no table here").Single());
    }
}
