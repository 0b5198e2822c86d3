using CompatLab.Abstractions.Tracking;
using CompatLab.Engine.Tracking;
using Xunit;

namespace CompatLab.Tests.Tracking;

public class MetricLinesTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(-2.5e-12)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void APointSurvivesFormatAndParseExactly(double value)
    {
        var point = new MetricPoint("new.integrator.weight_0", value, 42, 1795691605644);

        string line = MetricLines.Format(point);

        Assert.Equal(point, MetricLines.Parse(line));
    }

    [Fact]
    public void NonFiniteValuesAreWrittenAsStrings() =>
        Assert.Equal("{\"key\":\"a\",\"value\":\"NaN\",\"step\":1,\"timestamp\":2}", MetricLines.Format(new MetricPoint("a", double.NaN, 1, 2)));

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"key\":\"a\",\"step\":1,\"timestamp\":2}")]
    [InlineData("{\"key\":\"a\",\"value\":\"high\",\"step\":1,\"timestamp\":2}")]
    public void ALineThatIsNotAPointIsAFormatErrorNamingIt(string line)
    {
        var error = Assert.Throws<FormatException>(() => MetricLines.Parse(line));
        Assert.Contains(line, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordingTrackerPassesPointsOnAndReplaysThem()
    {
        using var scratch = new Support.ScratchFolder();
        string file = scratch.PathOf("training-metrics.jsonl");
        var first = new ListTracker();
        var points = new[] { new MetricPoint("new.loss", 2.5, 10, 100), new MetricPoint("new.loss", double.NaN, 20, 200) };
        using (var recorder = new RecordingTracker(first, file))
        {
            recorder.LogMetrics(points);
        }

        var second = new ListTracker();
        int replayed = RecordingTracker.Replay(file, second);

        Assert.Equal(points, first.Points);
        Assert.Equal(2, replayed);
        Assert.Equal(points, second.Points);
        Assert.Equal(0, RecordingTracker.Replay(scratch.PathOf("missing.jsonl"), second));
    }

    private sealed class ListTracker : IExperimentTracker
    {
        public List<MetricPoint> Points { get; } = [];

        public void StartRun(TrackedRun run)
        {
        }

        public void LogParams(IReadOnlyDictionary<string, string> parameters)
        {
        }

        public void LogMetrics(IReadOnlyList<MetricPoint> points) => Points.AddRange(points);

        public void SetTags(IReadOnlyDictionary<string, string> tags)
        {
        }

        public void LogArtifact(string localPath, string artifactPath)
        {
        }

        public void EndRun(RunStatus status)
        {
        }

        public void Dispose()
        {
        }
    }
}
