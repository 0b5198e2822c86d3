namespace CompatLab.Engine.Configuration;

/// <summary>
/// An option record that checks its own values after binding, beside its definition. The resolver walks the
/// bound experiment and calls every record it finds, so each record only knows its own keys.
/// </summary>
public interface IValidatedSpec
{
    void Validate(SpecProblems problems);
}
