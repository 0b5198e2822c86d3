using CompatLab.Tests.Datasets;

namespace CompatLab.Tests.Conformance;

/// <summary>Six training and three test images of 4 x 4 pixels in three classes, as IDX files in a folder.</summary>
internal sealed record TinyIdxFiles(string TrainImages, string TrainLabels, string TestImages, string TestLabels)
{
    public static TinyIdxFiles Write(string folder)
    {
        string Write(string name, byte[] content)
        {
            string path = Path.Combine(folder, name);
            File.WriteAllBytes(path, content);
            return path;
        }

        return new TinyIdxFiles(
            Write("train-images-idx3-ubyte", IdxBytes.Images(6, 4, 4, i => (byte)(i * 7 % 256))),
            Write("train-labels-idx1-ubyte", IdxBytes.Labels(0, 1, 2, 0, 1, 2)),
            Write("t10k-images-idx3-ubyte", IdxBytes.Images(3, 4, 4, i => (byte)(255 - i))),
            Write("t10k-labels-idx1-ubyte", IdxBytes.Labels(2, 1, 0)));
    }
}
