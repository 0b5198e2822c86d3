using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace CompatLab.Tests.Reference;

/// <summary>
/// The exchange format with the Python references (tests/reference/common.py): a tensor is
/// <c>{"shape": [...], "data": [...]}</c>, row-major, as float64 numbers; JSON keeps doubles exactly.
/// </summary>
internal static class ReferenceJson
{
    public static JsonObject Of(Tensor value)
    {
        using var scope = NewDisposeScope();
        double[] data = value.detach().to(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        return new JsonObject
        {
            ["shape"] = new JsonArray(value.shape.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
            ["data"] = new JsonArray(data.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        };
    }

    public static JsonArray Longs(IEnumerable<long> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    /// <summary>A plugin options dictionary as a JSON object with the same property names.</summary>
    public static JsonObject Options(IReadOnlyDictionary<string, object>? options)
    {
        var json = new JsonObject();
        foreach ((string key, object value) in options ?? new Dictionary<string, object>())
        {
            json[key] = value switch
            {
                bool b => JsonValue.Create(b),
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                double d => JsonValue.Create(d),
                _ => throw new ArgumentException($"option {key}: unsupported type {value.GetType().Name}"),
            };
        }

        return json;
    }

    /// <summary>A tensor or a number of the reference's output as flat doubles with their shape ([] for a number).</summary>
    public static (double[] Data, long[] Shape) Read(JsonNode node) => node switch
    {
        JsonObject tensor => (
            tensor["data"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray(),
            tensor["shape"]!.AsArray().Select(v => v!.GetValue<long>()).ToArray()),
        _ => ([node.GetValue<double>()], []),
    };
}
