using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CompatLab.Engine.Tracking;

public static class JsonFormats
{
    public static JsonSerializerOptions Indented { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),

        // A score that was not measured (full mAP of a streamed gallery) is NaN, written as "NaN" rather than failing.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
