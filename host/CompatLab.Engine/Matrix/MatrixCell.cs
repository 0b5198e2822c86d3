using System.Text.Json.Nodes;

namespace CompatLab.Engine.Matrix;

/// <summary>One cell of a matrix: a label made of its axis values and the experiment content with them applied.</summary>
public sealed record MatrixCell(string Label, JsonObject Content, IReadOnlyDictionary<string, string> AxisValues);
