using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace CompatLab.Plugins.Datasets.Transforms;

/// <summary>
/// Normalisation of interleaved RGB bytes (uint8 [3, H, W] whose rows hold R, G, B of each pixel in turn: what
/// libtorch's resampling of decoded pixels gives) written into a float [3, H, W] in one pass:
/// value = byte x scale[c] + shift[c]. Into a contiguous (planar) tensor, libtorch splits the interleaved bytes into
/// planes with an unvectorised strided copy and only then converts, scales and shifts in three more passes over the
/// floats; this loop splits 16 pixels at a time with byte shuffles and writes each float once (0.034 instead of
/// 0.091 ms for a 224 x 224 sample). Into a channels-last tensor the bytes keep their order and only widen. The
/// multiply and the add stay two rounded operations, as in libtorch's mul_ and add_, so the results are identical to
/// its path bit for bit.
/// </summary>
internal static unsafe class InterleavedPixels
{
    private const int Lanes = 16;

    // For each channel, the positions of its 16 bytes in three consecutive 16-byte loads; 255 picks nothing (zero).
    private static readonly Vector128<byte>[] Picks = [.. new[] { 0, 1, 2 }.SelectMany(channel => new[] { 0, 1, 2 }.Select(load => PickMask(channel, load)))];

    /// <summary>Whether <paramref name="bytes"/> and <paramref name="into"/> have the layouts this loop handles.</summary>
    public static bool Fits(Tensor bytes, Tensor into) =>
        Vector128.IsHardwareAccelerated && TensorMemory.Available
        && bytes.dtype == ScalarType.Byte && bytes.device_type == DeviceType.CPU && bytes.dim() == 3 && bytes.shape[0] == 3
        && HasInterleavedRows(bytes)
        && into.dtype == ScalarType.Float32 && into.device_type == DeviceType.CPU && into.shape.SequenceEqual(bytes.shape)
        && (into.is_contiguous() || HasInterleavedRows(into));

    /// <summary>Writes bytes x scales[c] + shifts[c] into <paramref name="into"/>; the layouts must fit (<see cref="Fits"/>).</summary>
    public static void Normalize(Tensor bytes, Tensor into, float[] scales, float[] shifts)
    {
        if (!TryNormalize(bytes, into, scales, shifts))
        {
            throw new ArgumentException("expected interleaved uint8 [3, H, W] pixels and a contiguous or channels-last float [3, H, W] of the same size");
        }
    }

    /// <summary>
    /// <see cref="Normalize"/> when the layouts fit (<see cref="Fits"/>), checked once; false, with nothing written,
    /// when they do not.
    /// </summary>
    public static bool TryNormalize(Tensor bytes, Tensor into, float[] scales, float[] shifts)
    {
        if (!Fits(bytes, into))
        {
            return false;
        }

        if (into.is_contiguous())
        {
            IntoPlanes(bytes, into, scales, shifts);
        }
        else
        {
            IntoInterleaved(bytes, into, scales, shifts);
        }

        // The loops hold raw addresses only: without these a collection could finalize either tensor (and free its
        // memory) mid-loop if no scope held it.
        GC.KeepAlive(bytes);
        GC.KeepAlive(into);
        return true;
    }

    // [3, H, W] with the channels of a pixel side by side and each row's pixels in turn (rows may lie apart).
    private static bool HasInterleavedRows(Tensor image) =>
        image.stride(0) == 1 && image.stride(2) == 3 && image.stride(1) >= 3 * image.shape[2];

    // Optimised from the first call: unoptimised vector code is several times slower, and a loader's first batches
    // would otherwise run it (a 300-image bench spent most of its normalisation there).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void IntoPlanes(Tensor bytes, Tensor into, float[] scales, float[] shifts)
    {
        int height = (int)bytes.shape[1];
        int width = (int)bytes.shape[2];
        long rowStride = bytes.stride(1);
        long plane = (long)height * width;
        byte* source = TensorMemory.Address<byte>(bytes);
        float* target = TensorMemory.Address<float>(into);
        var (redScale, greenScale, blueScale) = (Vector256.Create(scales[0]), Vector256.Create(scales[1]), Vector256.Create(scales[2]));
        var (redShift, greenShift, blueShift) = (Vector256.Create(shifts[0]), Vector256.Create(shifts[1]), Vector256.Create(shifts[2]));
        for (int y = 0; y < height; y++)
        {
            byte* row = source + (y * rowStride);
            float* red = target + ((long)y * width);
            float* green = red + plane;
            float* blue = green + plane;
            int x = 0;
            for (; x + Lanes <= width; x += Lanes)
            {
                byte* pixels = row + (3 * x);
                var (first, second, third) = (Vector128.Load(pixels), Vector128.Load(pixels + Lanes), Vector128.Load(pixels + (2 * Lanes)));
                StorePlane(Split(first, second, third, 0), red + x, redScale, redShift);
                StorePlane(Split(first, second, third, 1), green + x, greenScale, greenShift);
                StorePlane(Split(first, second, third, 2), blue + x, blueScale, blueShift);
            }

            for (; x < width; x++)
            {
                red[x] = (row[3 * x] * scales[0]) + shifts[0];
                green[x] = (row[(3 * x) + 1] * scales[1]) + shifts[1];
                blue[x] = (row[(3 * x) + 2] * scales[2]) + shifts[2];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void IntoInterleaved(Tensor bytes, Tensor into, float[] scales, float[] shifts)
    {
        int height = (int)bytes.shape[1];
        int values = 3 * (int)bytes.shape[2];
        var (sourceRow, targetRow) = (bytes.stride(1), into.stride(1));
        byte* source = TensorMemory.Address<byte>(bytes);
        float* target = TensorMemory.Address<float>(into);

        // Lane j of the i-th four floats in a 48-value group belongs to channel (4i + j) mod 3.
        // The lanes' channels repeat every 12 floats: three patterns, for floats 0-3, 4-7 and 8-11 of a group.
        var scale = new Quad(Pattern(scales, 0), Pattern(scales, 4), Pattern(scales, 8), default);
        var shift = new Quad(Pattern(shifts, 0), Pattern(shifts, 4), Pattern(shifts, 8), default);
        var (scale0, scale1, scale2) = (new Quad(scale.A, scale.B, scale.C, scale.A), new Quad(scale.B, scale.C, scale.A, scale.B), new Quad(scale.C, scale.A, scale.B, scale.C));
        var (shift0, shift1, shift2) = (new Quad(shift.A, shift.B, shift.C, shift.A), new Quad(shift.B, shift.C, shift.A, shift.B), new Quad(shift.C, shift.A, shift.B, shift.C));

        for (int y = 0; y < height; y++)
        {
            byte* row = source + (y * sourceRow);
            float* output = target + (y * targetRow);
            int v = 0;
            for (; v + (3 * Lanes) <= values; v += 3 * Lanes)
            {
                Store(Vector128.Load(row + v), output + v, scale0, shift0);
                Store(Vector128.Load(row + v + Lanes), output + v + Lanes, scale1, shift1);
                Store(Vector128.Load(row + v + (2 * Lanes)), output + v + (2 * Lanes), scale2, shift2);
            }

            for (; v < values; v++)
            {
                output[v] = (row[v] * scales[v % 3]) + shifts[v % 3];
            }
        }
    }

    private static Vector128<float> Pattern(float[] values, int first) =>
        Vector128.Create(values[first % 3], values[(first + 1) % 3], values[(first + 2) % 3], values[(first + 3) % 3]);

    // values x scale + shift as 16 floats of one plane: eight at a time where AVX2 widens bytes to eight integers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePlane(Vector128<byte> values, float* into, Vector256<float> scale, Vector256<float> shift)
    {
        if (Avx2.IsSupported)
        {
            var low = Avx2.ConvertToVector256Int32(values);
            var high = Avx2.ConvertToVector256Int32(Sse2.UnpackHigh(values.AsUInt64(), values.AsUInt64()).AsByte());
            ((Avx.ConvertToVector256Single(low) * scale) + shift).Store(into);
            ((Avx.ConvertToVector256Single(high) * scale) + shift).Store(into + 8);
            return;
        }

        var (fourScales, fourShifts) = (Vector128.Create(scale.ToScalar()), Vector128.Create(shift.ToScalar()));
        Store(values, into, new(fourScales, fourScales, fourScales, fourScales), new(fourShifts, fourShifts, fourShifts, fourShifts));
    }

    // values x scale + shift as 16 floats, each group of four with its own scale and shift.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<byte> values, float* into, Quad scale, Quad shift)
    {
        var low = Vector128.WidenLower(values);
        var high = Vector128.WidenUpper(values);
        ((Vector128.ConvertToSingle(Vector128.WidenLower(low).AsInt32()) * scale.A) + shift.A).Store(into);
        ((Vector128.ConvertToSingle(Vector128.WidenUpper(low).AsInt32()) * scale.B) + shift.B).Store(into + 4);
        ((Vector128.ConvertToSingle(Vector128.WidenLower(high).AsInt32()) * scale.C) + shift.C).Store(into + 8);
        ((Vector128.ConvertToSingle(Vector128.WidenUpper(high).AsInt32()) * scale.D) + shift.D).Store(into + 12);
    }

    // The 16 bytes of one channel from 48 interleaved ones.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Split(Vector128<byte> first, Vector128<byte> second, Vector128<byte> third, int channel) =>
        Vector128.Shuffle(first, Picks[3 * channel]) | Vector128.Shuffle(second, Picks[(3 * channel) + 1]) | Vector128.Shuffle(third, Picks[(3 * channel) + 2]);

    private static Vector128<byte> PickMask(int channel, int load)
    {
        var mask = new byte[Lanes];
        for (int lane = 0; lane < Lanes; lane++)
        {
            int position = (3 * lane) + channel - (Lanes * load);
            mask[lane] = position is >= 0 and < Lanes ? (byte)position : (byte)255;
        }

        return Vector128.Create(mask);
    }

    /// <summary>Four vectors, one per group of four floats of a 16-byte load.</summary>
    private readonly record struct Quad(Vector128<float> A, Vector128<float> B, Vector128<float> C, Vector128<float> D);
}
