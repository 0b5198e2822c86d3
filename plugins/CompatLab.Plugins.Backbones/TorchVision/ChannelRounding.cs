namespace CompatLab.Plugins.Backbones;

/// <summary>torchvision's _make_divisible: round a channel count to a multiple of 8, never losing more than 10%.</summary>
internal static class ChannelRounding
{
    public static long ToMultipleOf8(long channels)
    {
        const long Divisor = 8;
        long rounded = Math.Max(Divisor, (channels + (Divisor / 2)) / Divisor * Divisor);
        return rounded < 0.9 * channels ? rounded + Divisor : rounded;
    }
}
