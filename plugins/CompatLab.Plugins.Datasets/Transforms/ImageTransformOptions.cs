using System.ComponentModel;
using System.Text.Json.Serialization;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>The augmentation and normalisation of an image dataset; defaults are torchvision's ImageNet recipe without colour jitter or erasing.</summary>
public sealed class ImageTransformOptions
{
    [Description("Training: a random-resized crop of the image (true) or the same resize and centre crop as evaluation (false).")]
    public bool RandomResizedCrop { get; set; } = true;

    [Description("Random-resized crop: range of the crop's share of the image area.")]
    public double[] Scale { get; set; } = [0.08, 1.0];

    [Description("Random-resized crop: range of the crop's aspect ratio (width / height), drawn log-uniformly.")]
    public double[] Ratio { get; set; } = [3.0 / 4.0, 4.0 / 3.0];

    [Description("Training: probability of a horizontal flip.")]
    public double HorizontalFlip { get; set; } = 0.5;

    [Description("Training: brightness jitter strength (factor uniform in [max(0, 1 - v), 1 + v]); 0 turns it off.")]
    public double Brightness { get; set; }

    [Description("Training: contrast jitter strength; 0 turns it off.")]
    public double Contrast { get; set; }

    [Description("Training: saturation jitter strength; 0 turns it off.")]
    public double Saturation { get; set; }

    [Description("Per-channel mean (R, G, B) subtracted from pixels scaled to [0, 1].")]
    public double[] Mean { get; set; } = [0.485, 0.456, 0.406];

    [Description("Per-channel standard deviation (R, G, B) the pixels are divided by.")]
    public double[] Std { get; set; } = [0.229, 0.224, 0.225];

    [Description("Training: probability of random erasing (after normalisation, filled with 0); 0 turns it off.")]
    public double Erasing { get; set; }

    [Description("Random erasing: range of the erased share of the image area.")]
    public double[] ErasingScale { get; set; } = [0.02, 0.33];

    [Description("Random erasing: range of the erased rectangle's aspect ratio.")]
    public double[] ErasingRatio { get; set; } = [0.3, 3.3];

    [Description("Batches in channels-last memory layout (channels innermost, as runtime.memoryFormat channelsLast wants them): the same values, written without splitting the pixels into planes.")]
    [JsonIgnore] // a layout, not a sample: left out of the dataset's digest
    public bool ChannelsLast { get; set; }

    public IEnumerable<string> Validate(string prefix)
    {
        var problems = new List<string?>
        {
            Range(prefix + "scale", Scale, 0, 1),
            Range(prefix + "ratio", Ratio, 0, double.PositiveInfinity),
            Probability(prefix + "horizontalFlip", HorizontalFlip),
            NonNegative(prefix + "brightness", Brightness),
            NonNegative(prefix + "contrast", Contrast),
            NonNegative(prefix + "saturation", Saturation),
            Probability(prefix + "erasing", Erasing),
            Range(prefix + "erasingScale", ErasingScale, 0, 1),
            Range(prefix + "erasingRatio", ErasingRatio, 0, double.PositiveInfinity),
            Mean.Length == 3 && Mean.All(double.IsFinite) ? null : $"{prefix}mean must be three finite numbers (R, G, B).",
            Std.Length == 3 && Std.All(s => double.IsFinite(s) && s > 0) ? null : $"{prefix}std must be three positive numbers (R, G, B).",
        };
        return problems.OfType<string>();
    }

    private static string? Range(string key, double[] values, double low, double high) =>
        values.Length == 2 && values.All(double.IsFinite) && values[0] > low && values[0] <= values[1] && values[1] <= high
            ? null
            : $"{key} must be two numbers [low, high] with {low} < low <= high{(double.IsFinite(high) ? $" <= {high}" : string.Empty)}.";

    private static string? Probability(string key, double value) =>
        double.IsFinite(value) && value >= 0 && value <= 1 ? null : $"{key} must be a probability in [0, 1], got {value}.";

    private static string? NonNegative(string key, double value) =>
        double.IsFinite(value) && value >= 0 ? null : $"{key} must be a number of at least 0, got {value}.";
}
