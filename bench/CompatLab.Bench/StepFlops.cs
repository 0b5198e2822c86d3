namespace CompatLab.Bench;

/// <summary>
/// Floating-point operations of one training step, counted analytically from the architecture. Only convolutions
/// and linear layers are counted (batch norm, ReLU, pooling and the loss are a few percent at most): forward =
/// 2 x multiply-accumulates, and backward = 2 x forward (one pass for the gradient of the input, one for the
/// gradient of the weights), so a step is 3 x forward. The first convolution's input gradient is counted too,
/// although autograd skips it, which overstates cnn4's and resnet-mini's steps by under 1%.
/// </summary>
public static class StepFlops
{
    public const int StepOverForward = 3;

    /// <summary>Multiply-accumulates of one image's forward pass through cnn4 (four 3x3 blocks, 2x2 max-pool after the first three).</summary>
    public static long Cnn4Macs(int channels, int size, IReadOnlyList<int> widths, int embeddingDim, int classes)
    {
        var walk = new ShapeWalk(channels, size);
        for (int i = 0; i < 4; i++)
        {
            walk.Conv(widths[i], kernel: 3, stride: 1, padding: 1);
            if (i < 3)
            {
                walk.Pool(2);
            }
        }

        return walk.Macs + Head(widths[3], embeddingDim, classes);
    }

    /// <summary>Multiply-accumulates of one image's forward pass through resnet-mini (stem, three stages of basic blocks, 1x1 projection shortcuts).</summary>
    public static long ResNetMiniMacs(int channels, int size, IReadOnlyList<int> widths, int blocksPerStage, int embeddingDim, int classes)
    {
        var walk = new ShapeWalk(channels, size);
        walk.Conv(widths[0], kernel: 3, stride: 1, padding: 1);
        for (int stage = 0; stage < 3; stage++)
        {
            for (int block = 0; block < blocksPerStage; block++)
            {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                var (inChannels, inSize) = (walk.Channels, walk.Size);
                walk.Conv(widths[stage], kernel: 3, stride: stride, padding: 1);
                walk.Conv(widths[stage], kernel: 3, stride: 1, padding: 1);
                if (stride != 1 || inChannels != widths[stage])
                {
                    walk.Macs += ShapeWalk.ConvMacs(inChannels, inSize, widths[stage], kernel: 1, stride: stride, padding: 0);
                }
            }
        }

        return walk.Macs + Head(widths[2], embeddingDim, classes);
    }

    /// <summary>FLOPs of one training step on a batch, from the forward multiply-accumulates of one image.</summary>
    public static double TrainingStep(long forwardMacsPerImage, int batchSize) => 2.0 * forwardMacsPerImage * batchSize * StepOverForward;

    private static long Head(int features, int embeddingDim, int classes) => ((long)features * embeddingDim) + ((long)embeddingDim * classes);

    /// <summary>Follows channels and square spatial size through the layers, adding up multiply-accumulates.</summary>
    private sealed class ShapeWalk(int channels, int size)
    {
        public int Channels { get; private set; } = channels;

        public int Size { get; private set; } = size;

        public long Macs { get; set; }

        public static long ConvMacs(int inChannels, int inSize, int outChannels, int kernel, int stride, int padding)
        {
            long outSize = ((inSize + (2 * padding) - kernel) / stride) + 1;
            return outSize * outSize * outChannels * inChannels * kernel * kernel;
        }

        public void Conv(int outChannels, int kernel, int stride, int padding)
        {
            Macs += ConvMacs(Channels, Size, outChannels, kernel, stride, padding);
            Size = ((Size + (2 * padding) - kernel) / stride) + 1;
            Channels = outChannels;
        }

        public void Pool(int window) => Size /= window;
    }
}
