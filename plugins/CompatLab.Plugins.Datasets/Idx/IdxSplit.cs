using CompatLab.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Idx;

/// <summary>One images/labels pair as read from disk: uint8 tensors, checked to hold one label per image.</summary>
internal sealed class IdxSplit
{
    private IdxSplit(string imagesPath, string labelsPath, Tensor images, Tensor labels)
    {
        ImagesPath = imagesPath;
        LabelsPath = labelsPath;
        Images = images;
        Labels = labels;
    }

    public string ImagesPath { get; }

    public string LabelsPath { get; }

    /// <summary>uint8 [N, rows, columns], owned by the caller's dispose scope.</summary>
    public Tensor Images { get; }

    /// <summary>uint8 [N], owned by the caller's dispose scope.</summary>
    public Tensor Labels { get; }

    public long Rows => Images.shape[1];

    public long Columns => Images.shape[2];

    public int LargestLabel => Labels.max().item<byte>();

    public static IdxSplit Read(string configuredImages, string configuredLabels, string missingHint)
    {
        string imagesPath = IdxFileLocator.Locate(configuredImages, missingHint);
        string labelsPath = IdxFileLocator.Locate(configuredLabels, missingHint);
        var images = IdxReader.ReadImages(imagesPath);
        var labels = IdxReader.ReadLabels(labelsPath);
        if (labels.shape[0] != images.shape[0])
        {
            throw new CompatLabUserException(
                $"{labelsPath}: expected one label per image of {imagesPath} ({images.shape[0]}), found {labels.shape[0]} labels.");
        }

        return new IdxSplit(imagesPath, labelsPath, images, labels);
    }

    public void CheckLabelsBelow(int classCount, string classesSource)
    {
        using var scope = NewDisposeScope();
        var outside = Labels.ge(classCount).nonzero();
        if (outside.shape[0] > 0)
        {
            long index = outside[0, 0].item<long>();
            byte label = Labels[index].item<byte>();
            throw new CompatLabUserException(
                $"{LabelsPath}: expected labels 0..{classCount - 1} ({classesSource}), " +
                $"found {label} at index {index}.");
        }
    }
}
