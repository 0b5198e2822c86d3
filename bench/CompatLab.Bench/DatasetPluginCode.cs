using System.Reflection;
using CompatLab.Abstractions.Plugins;
using CompatLab.Engine.Plugins;
using static TorchSharp.torch;

namespace CompatLab.Bench;

/// <summary>
/// The image code of the datasets plugin as the catalog loaded it (its own load context), called by reflection: the
/// benches time the plugin's decoder and transform steps themselves, not copies. Compiling the plugin's sources in
/// would clash with the tests, which compile the same sources and reference this program. Tensors cross freely
/// (TorchSharp is shared with plugins); the plugin's own types stay objects here.
/// </summary>
internal sealed class DatasetPluginCode
{
    private const string Prefix = "CompatLab.Plugins.Datasets.";
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    private readonly Assembly assembly;
    private readonly object decoder;
    private readonly Type jpegKind;
    private readonly MethodInfo decode;
    private readonly MethodInfo resample;
    private readonly MethodInfo centreSquare;
    private readonly PropertyInfo width;
    private readonly PropertyInfo height;
    private readonly PropertyInfo pixels;

    public DatasetPluginCode(PluginCatalog catalog)
    {
        assembly = catalog.Find(PluginKind.Dataset, "image-list", "bench").Implementation.Assembly;
        var image = Type("Images.DecodedImage");
        var decoderType = Type("Images.ImageDecoder");
        jpegKind = Type("Images.JpegDecoder");
        decoder = Activator.CreateInstance(decoderType, 100_000_000L, Enum.Parse(jpegKind, "Auto"))!;
        decode = decoderType.GetMethod("Decode", Any)!;
        resample = Type("ImageSets.PixelTensors").GetMethod("Resample", Any)!;
        centreSquare = Type("ImageSets.CentreSquare").GetMethod("Of", Any)!;
        (width, height, pixels) = (image.GetProperty("Width")!, image.GetProperty("Height")!, image.GetProperty("Pixels")!);
    }

    /// <summary>The SkiaSharp the plugin runs on.</summary>
    public string SkiaVersion => Type("Images.ImageDecoder").Assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == "SkiaSharp")?.Version?.ToString() ?? "?";

    /// <summary>ImageDecoder.Decode with the default JPEG decoder (auto): a DecodedImage (height-width-channel uint8 RGB or RGBX).</summary>
    public object Decode(string path, int? targetShortSide) => decode.Invoke(decoder, [path, targetShortSide])!;

    /// <summary>The JPEG library the default decoder uses (ImageDecoder.JpegLibrary).</summary>
    public string JpegLibrary => (string)decoder.GetType().GetProperty("JpegLibrary")!.GetValue(decoder)!;

    /// <summary>ImageDecoder.Decode with JPEG decoder <paramref name="kind"/> (Skia, TurboJpeg); null where that decoder cannot be made.</summary>
    public Func<string, int?, object>? Decoder(string kind)
    {
        object instance;
        try
        {
            instance = Activator.CreateInstance(decoder.GetType(), 100_000_000L, Enum.Parse(jpegKind, kind))!;
        }
        catch (TargetInvocationException)
        {
            return null;
        }

        return (path, target) => decode.Invoke(instance, [path, target])!;
    }

    public (int Width, int Height, byte[] Pixels) Parts(object image) =>
        ((int)width.GetValue(image)!, (int)height.GetValue(image)!, (byte[])pixels.GetValue(image)!);

    /// <summary>DecodedImage.Rgb(): the pixels as 3-byte RGB.</summary>
    public byte[] Rgb(object image) => (byte[])image.GetType().GetMethod("Rgb")!.Invoke(image, null)!;

    /// <summary>PixelTensors.Resample: a window of the uint8 pixels resized to side x side (flipped when mirrored), uint8 [3, side, side].</summary>
    public Tensor Resample(object image, (int Top, int Left, int Height, int Width) window, int side, bool mirrored) =>
        (Tensor)resample.Invoke(null, [image, (long)window.Top, (long)window.Left, (long)window.Height, (long)window.Width, (long)side, (long)side, mirrored])!;

    /// <summary>HorizontalFlip(probability).Draw: whether a sample's stream flips it.</summary>
    public Func<object, bool> FlipDraw(double probability)
    {
        var type = Type("Transforms.HorizontalFlip");
        object flip = Activator.CreateInstance(type, probability)!;
        var draw = type.GetMethod("Draw", Any)!;
        return random => (bool)draw.Invoke(flip, [random])!;
    }

    /// <summary>CentreSquare.Of: what the decoded cache stores for an image.</summary>
    public object CentreSquare(object image, int side) => centreSquare.Invoke(null, [image, side])!;

    /// <summary>SampleRandom(seed, epoch, sampleIndex).</summary>
    public object Random(int seed, int epoch, long sample) => Activator.CreateInstance(Type("Transforms.SampleRandom"), seed, epoch, sample)!;

    /// <summary>Normalize.FromBytes: uint8 [3, H, W] converted and normalised into a float [3, H, W].</summary>
    public Action<Tensor, Tensor> NormalizeBytes(double[] mean, double[] std)
    {
        var type = Type("Transforms.Normalize");
        object step = Activator.CreateInstance(type, mean, std)!;
        var fromBytes = type.GetMethod("FromBytes", Any)!;
        return (bytes, into) => fromBytes.Invoke(step, [bytes, into]);
    }

    /// <summary>RandomResizedCrop.Window for an image size: (top, left, height, width).</summary>
    public Func<int, int, object, (int Top, int Left, int Height, int Width)> CropWindow(int size)
    {
        var type = Type("Transforms.RandomResizedCrop");
        object crop = Activator.CreateInstance(type, size, new[] { 0.08, 1.0 }, new[] { 3.0 / 4.0, 4.0 / 3.0 })!;
        var window = type.GetMethod("Window", Any)!;
        return (h, w, random) => ((int, int, int, int))window.Invoke(crop, [h, w, random])!;
    }

    private Type Type(string name) => assembly.GetType(Prefix + name, throwOnError: true)!;
}
