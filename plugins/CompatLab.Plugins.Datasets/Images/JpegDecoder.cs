namespace CompatLab.Plugins.Datasets.Images;

/// <summary>Which library decodes JPEG files (other formats always go to Skia).</summary>
public enum JpegDecoder
{
    /// <summary>TurboJPEG when libturbojpeg is installed, Skia otherwise.</summary>
    Auto,

    /// <summary>Skia's own JPEG codec.</summary>
    Skia,

    /// <summary>libjpeg-turbo's TurboJPEG API (Debian libturbojpeg0); an error where it is missing.</summary>
    TurboJpeg,
}
