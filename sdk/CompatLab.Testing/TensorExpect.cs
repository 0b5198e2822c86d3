using static TorchSharp.torch;

namespace CompatLab.Testing;

/// <summary>Assertions on tensors that fail with a <see cref="ConformanceViolation"/> saying what was found.</summary>
internal static class TensorExpect
{
    public static void Finite(Tensor tensor, string what) =>
        ConformanceViolation.Unless(isfinite(tensor).all().item<bool>(), $"{what} has NaN or infinite values.");

    public static void OnDevice(Tensor tensor, Device device, string what) =>
        ConformanceViolation.Unless(
            tensor.device.type == device.type,
            $"{what} is on {tensor.device}, but the inputs were on {device}; make new tensors on the input's device.");

    public static void Shape(Tensor tensor, long[] expected, string what) =>
        ConformanceViolation.Unless(
            tensor.shape.SequenceEqual(expected),
            $"{what} has shape [{string.Join(", ", tensor.shape)}], expected [{string.Join(", ", expected)}].");

    /// <summary>Bitwise equal (a seeded run must repeat exactly, not approximately).</summary>
    public static void Same(Tensor first, Tensor second, string what) =>
        ConformanceViolation.Unless(
            first.shape.SequenceEqual(second.shape) && first.eq(second).all().item<bool>(),
            $"{what} differs between two runs with the same seed; draw randomness from the seed the host gives.");
}
