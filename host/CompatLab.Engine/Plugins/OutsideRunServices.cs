using CompatLab.Abstractions.Hosting;

namespace CompatLab.Engine.Plugins;

/// <summary>The log a plugin gets outside a run: messages to a writer, metrics dropped (there is no run to track them in).</summary>
internal sealed class MessageLog : IPluginLog
{
    private readonly TextWriter messages;

    public MessageLog(TextWriter messages)
    {
        this.messages = messages;
    }

    public void Info(string message) => messages.WriteLine(message);

    public void Warn(string message) => messages.WriteLine("warning: " + message);

    public void Metric(string key, double value, long step)
    {
    }

    public void Report(string key, double value, long step)
    {
    }
}

/// <summary>Seed streams outside a run: a plugin may take them in its constructor, but there is no run seed to draw from yet.</summary>
internal sealed class NoRunSeeds : ISeedStreams
{
    public int RunSeed => throw Outside();

    public long Seed(string purpose) => throw Outside();

    public int IntSeed(string purpose) => throw Outside();

    private static InvalidOperationException Outside() =>
        new("seed streams exist only in a run: draw seeds in the plugin's run-time methods, not while the experiment is checked or plugins are listed");
}
