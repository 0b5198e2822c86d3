using CompatLab.Abstractions;
using CompatLab.Engine.Evaluation;
using CompatLab.Tests.Support;
using TorchSharp;
using Xunit;
using static CompatLab.Tests.Evaluation.RetrievalTestData;

namespace CompatLab.Tests.Evaluation;

public class EmbeddingChunkFileTests
{
    [Theory]
    [InlineData(torch.ScalarType.Float32)]
    [InlineData(torch.ScalarType.Float16)]
    public void AGalleryWrittenInChunksReadsBackAndRanksAsInMemory(torch.ScalarType type)
    {
        var random = new Random(3);
        float[][] rows = Gaussian(random, 57, 6);
        Duplicate(random, rows, 5);
        using var features = Tensor(rows);
        using var labels = Tensor(Labels(random, 57, 5));
        using var folder = new ScratchFolder();
        string path = folder.PathOf("gallery.emb");
        using (var writer = new EmbeddingChunkWriter(path, 6, type))
        {
            foreach (EmbeddingChunk chunk in StreamedRetrievalEvaluatorTests.Chunks(features, labels, 20))
            {
                using (chunk)
                {
                    writer.Append(chunk.Features, chunk.Labels);
                }
            }
        }

        EmbeddingChunkReader reader = EmbeddingChunkReader.Open(path);
        using var stored = features.to(type); // what the file holds: float16 rounds the features
        var options = new RetrievalEvaluatorOptions { QueryChunkSize = 16, MapAtK = 10, RecallAtK = [1, 5] };
        RetrievalMetrics full = new RetrievalEvaluator(options).Evaluate(stored, labels, stored, labels, excludeSelf: true);
        RetrievalMetrics streamed = new StreamedRetrievalEvaluator(options).Evaluate(stored, labels, reader, excludeSelf: true);

        Assert.Equal(57, reader.Rows);
        Assert.Equal(type, reader.ElementType);
        Assert.Equal(3, reader.ReadChunks().Count());
        Assert.Equal(full.MapAtK, streamed.MapAtK);
        Assert.Equal(full.RecallAtK, streamed.RecallAtK);
    }

    [Fact]
    public void ATruncatedFileNamesTheFileAndTheRow()
    {
        using var folder = new ScratchFolder();
        string path = folder.PathOf("gallery.emb");
        WriteOnes(path, chunks: 3, rows: 10);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 7);
        }

        var error = Assert.Throws<CompatLabUserException>(() => EmbeddingChunkReader.Open(path).ReadChunks().Count());

        Assert.Contains(path, error.Message);
        Assert.Contains("truncated", error.Message);
        Assert.Contains("row 20", error.Message);
    }

    [Fact]
    public void AFileWhoseWriterNeverClosedIsRefused()
    {
        using var folder = new ScratchFolder();
        string path = folder.PathOf("gallery.emb");
        WriteOnes(path, chunks: 1, rows: 4);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.Position = 16;
            stream.Write(BitConverter.GetBytes(-1L));
        }

        var error = Assert.Throws<CompatLabUserException>(() => EmbeddingChunkReader.Open(path));

        Assert.Contains("never finished", error.Message);
    }

    [Fact]
    public void AFileOfAnotherKindIsRefused()
    {
        using var folder = new ScratchFolder();
        string path = folder.File("gallery.emb", "path,label\na.png,1\n");

        var error = Assert.Throws<CompatLabUserException>(() => EmbeddingChunkReader.Open(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("CLEMBED1", error.Message);
    }

    private static void WriteOnes(string path, int chunks, int rows)
    {
        using var writer = new EmbeddingChunkWriter(path, 4, torch.ScalarType.Float32);
        for (int i = 0; i < chunks; i++)
        {
            using var features = torch.ones(rows, 4);
            using var labels = torch.zeros(rows, torch.ScalarType.Int64);
            writer.Append(features, labels);
        }
    }
}
