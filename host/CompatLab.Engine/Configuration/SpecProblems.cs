namespace CompatLab.Engine.Configuration;

/// <summary>
/// Where a record's range checks report: keys are relative to the record's own section, and every problem goes to
/// the binder, which names its true source (file and key, environment variable or --set) and reports all at once.
/// </summary>
public sealed class SpecProblems
{
    private readonly ConfigBinder binder;

    public SpecProblems(ConfigBinder binder, string section = "")
    {
        this.binder = binder;
        Section = section;
    }

    /// <summary>The record's section in configuration form (colons), empty for the experiment itself.</summary>
    public string Section { get; }

    public string Key(string name) => Section.Length == 0 ? name : $"{Section}:{name}";

    public SpecProblems At(string name) => new(binder, Key(name));

    public void Add(string name, string message) => binder.AddProblem(Key(name), message);

    public void Require(bool ok, string name, string message)
    {
        if (!ok)
        {
            Add(name, message);
        }
    }

    public void OneOf(string value, IReadOnlyList<string> allowed, string name) =>
        Require(allowed.Contains(value), name, $"expected one of {string.Join(", ", allowed)}, got \"{value}\"" + NameSuggester.Hint(value, allowed));
}
