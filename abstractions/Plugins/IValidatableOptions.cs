namespace CompatLab.Abstractions.Plugins;

/// <summary>Options that can check their own values after binding. Each problem is one sentence naming the option.</summary>
public interface IValidatableOptions
{
    IEnumerable<string> Validate();
}
