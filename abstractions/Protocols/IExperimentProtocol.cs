namespace CompatLab.Abstractions.Protocols;

/// <summary>
/// A protocol: how an experiment's stages are laid out (which models are trained on which data, what is compared
/// with what). The contract is deliberately a marker: running a protocol needs the engine's stage types (data
/// splits, models, trainers), so a protocol plugin references CompatLab.Engine and implements its
/// <c>CompatLab.Engine.Runs.IProtocol</c>, which extends this interface. The host refuses a protocol plugin that
/// does not.
/// </summary>
public interface IExperimentProtocol
{
}
