namespace CompatLab.Engine.Configuration;

/// <summary>Walks a bound record tree and lets every <see cref="IValidatedSpec"/> in it check itself, parents first.</summary>
public static class SpecValidation
{
    public static void Validate(object spec, ConfigBinder binder) => Walk(spec, new SpecProblems(binder));

    private static void Walk(object record, SpecProblems problems)
    {
        if (record is IValidatedSpec validated)
        {
            validated.Validate(problems);
        }

        foreach (var property in ConfigBinder.BindableProperties(record.GetType()))
        {
            if (IsRecord(property.PropertyType) && property.GetValue(record) is { } child)
            {
                Walk(child, problems.At(ConfigBinder.CamelCase(property.Name)));
            }
        }
    }

    /// <summary>Option records live beside this class; plugin options sections and lists are not walked.</summary>
    private static bool IsRecord(Type type) => type.IsClass && type.Namespace == typeof(SpecValidation).Namespace;
}
