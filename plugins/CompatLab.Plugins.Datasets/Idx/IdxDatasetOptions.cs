using System.ComponentModel;

namespace CompatLab.Plugins.Datasets.Idx;

public sealed class IdxDatasetOptions : IdxLoadOptions
{
    public IdxDatasetOptions()
        : base(mean: 0.5, std: 0.5)
    {
    }

    [Description("Path of the training images IDX file (unsigned byte, N x rows x columns; gzipped or raw).")]
    public string TrainImages { get; set; } = string.Empty;

    [Description("Path of the training labels IDX file (unsigned byte, N; gzipped or raw).")]
    public string TrainLabels { get; set; } = string.Empty;

    [Description("Path of the test images IDX file.")]
    public string TestImages { get; set; } = string.Empty;

    [Description("Path of the test labels IDX file.")]
    public string TestLabels { get; set; } = string.Empty;

    [Description("Class names in label order; empty numbers the classes 0..K-1 with K = largest label + 1.")]
    public List<string> ClassNames { get; set; } = [];

    public override IEnumerable<string> Validate()
    {
        var problems = base.Validate().Concat(RequireNonEmpty(
            ("trainImages", TrainImages, "the path of the training images IDX file"),
            ("trainLabels", TrainLabels, "the path of the training labels IDX file"),
            ("testImages", TestImages, "the path of the test images IDX file"),
            ("testLabels", TestLabels, "the path of the test labels IDX file")));
        foreach (string problem in problems)
        {
            yield return problem;
        }

        if (ClassNames.Any(string.IsNullOrWhiteSpace))
        {
            yield return "classNames must not contain empty names.";
        }

        string[] repeated = ClassNames.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        if (repeated.Length > 0)
        {
            yield return $"classNames must be distinct, found repeated: {string.Join(", ", repeated)}.";
        }
    }
}
