using SkiaSharp;

namespace CompatLab.Tests.Images;

/// <summary>Tiny image datasets written in the test: a class folder tree and an image list over the same files.</summary>
internal static class TinyImageData
{
    /// <summary>classes x perClass PNG images of 12x9 pixels (colours differ per image), in root/cNN/iNN.png.</summary>
    public static void WriteFolder(string root, int classes = 3, int perClass = 5)
    {
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                Write(Path.Combine(root, $"c{c:00}", $"i{i:00}.png"), c, i);
            }
        }
    }

    /// <summary>A list at root/list.csv over the folder's images; roles when asked: the first 3 of each class train, then query, then gallery.</summary>
    public static string WriteList(string root, int classes = 3, int perClass = 5, bool roles = true)
    {
        WriteFolder(root, classes, perClass);
        var lines = new List<string> { roles ? "path,label,role" : "path,label" };
        for (int c = 0; c < classes; c++)
        {
            for (int i = 0; i < perClass; i++)
            {
                string role = i < 3 ? "train" : i == 3 ? "query" : "gallery";
                lines.Add($"c{c:00}/i{i:00}.png,{c}" + (roles ? $",{role}" : string.Empty));
            }
        }

        string list = Path.Combine(root, "list.csv");
        File.WriteAllLines(list, lines);
        return list;
    }

    public static void Write(string path, int c, int i, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int width = 12, int height = 9)
    {
        using SKBitmap bitmap = TestImages.Bitmap(width, height, (x, y) => new SKColor((byte)(20 * x + 7 * i), (byte)(25 * y + 40 * c), (byte)(60 + x * y)));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, TestImages.Encode(bitmap, format, 90));
    }
}
