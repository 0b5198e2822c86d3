using System.Globalization;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CompatLab.Engine.Training;

/// <summary>
/// Checkpoints of one training stage in a folder: one file per checkpoint holding the position, the model, the
/// optimiser and any loss state. Each is written to a temporary file, flushed and renamed, so a crash (even
/// kill -9) leaves either the old set or the new one, never a torn file. The newest readable one wins on resume.
/// </summary>
public sealed class CheckpointStore
{
    private const string Magic = "COMPATLAB-CKPT-1";
    private readonly string folder;
    private readonly int keep;

    public CheckpointStore(string folder, int keep)
    {
        this.folder = folder;
        this.keep = Math.Max(1, keep);
    }

    public void Save(TrainingPosition position, nn.Module model, OptimizerHelper optimizer, IReadOnlyDictionary<string, Tensor> extraState)
    {
        if (FiniteParameters.FirstNonFinite(model) is { } weight)
        {
            throw new NonFiniteTrainingException($"{folder}: refusing to write the checkpoint of step {position.Step}: the weight '{weight}' is NaN or infinite");
        }

        Directory.CreateDirectory(folder);
        string final = Path.Combine(folder, $"step-{position.Step:D9}.ckpt");
        Tracking.AtomicFile.Replace(final, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(position));
            model.save(writer);
            optimizer.save_state_dict(writer);
            writer.Write(extraState.Count);
            foreach (var (name, value) in extraState)
            {
                writer.Write(name);
                value.Save(writer);
            }

            writer.Flush();
            stream.Flush(flushToDisk: true);
        });
        foreach (string stale in Checkpoints().Skip(keep))
        {
            File.Delete(stale);
        }
    }

    /// <summary>Loads the newest checkpoint that reads cleanly into the given model and optimiser; null if none.</summary>
    /// <exception cref="CompatLab.Abstractions.CompatLabUserException">Checkpoints exist but none can be resumed: the model
    /// may hold a rejected one's weights, so starting over silently would train from them.</exception>
    public (TrainingPosition Position, Dictionary<string, Tensor> ExtraState)? LoadLatest(nn.Module model, OptimizerHelper optimizer, Action<string> warn)
    {
        string? newestProblem = null;
        foreach (string path in Checkpoints())
        {
            try
            {
                using var stream = File.OpenRead(path);
                using var reader = new BinaryReader(stream, Encoding.UTF8);
                if (reader.ReadString() != Magic)
                {
                    throw new InvalidDataException("not a CompatLab checkpoint");
                }

                var position = JsonSerializer.Deserialize<TrainingPosition>(reader.ReadString()) ?? throw new InvalidDataException("no position");
                InPlaceModuleLoad.Load(model, reader);

                // Written before the guard existed, or by hand: a non-finite model must never be resumed.
                if (FiniteParameters.FirstNonFinite(model) is { } weight)
                {
                    throw new InvalidDataException($"the weight '{weight}' is NaN or infinite");
                }

                optimizer.load_state_dict(reader);
                var device = ModelDevice(model);
                OptimizerStateDevice.Follow(optimizer, device);
                int count = reader.ReadInt32();
                var extra = new Dictionary<string, Tensor>();
                for (int i = 0; i < count; i++)
                {
                    string name = reader.ReadString();
                    extra[name] = OnDevice(Tensor.Load(reader), device);
                }

                return (position, extra);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or EndOfStreamException or ArgumentException or JsonException or FormatException)
            {
                warn($"checkpoint {path} is unusable ({e.Message}); trying an older one");
                newestProblem ??= $"{path}: {e.Message}";
            }
        }

        return newestProblem is null
            ? null
            : throw new CompatLab.Abstractions.CompatLabUserException($"no checkpoint in {folder} can be resumed (newest: {newestProblem}); delete that folder to train this stage from the start");
    }

    // Checkpoints are written device-independent (tensors' bytes); a resumed stage gets its state where its model is.
    private static Device ModelDevice(nn.Module model) => model.parameters().FirstOrDefault()?.device ?? CPU;

    private static Tensor OnDevice(Tensor tensor, Device device)
    {
        if (tensor.device == device)
        {
            return tensor;
        }

        var moved = tensor.to(device);
        tensor.Dispose();
        return moved;
    }

    public bool Any() => Checkpoints().Any();

    private IEnumerable<string> Checkpoints() =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "step-*.ckpt").OrderByDescending(p => long.Parse(Path.GetFileNameWithoutExtension(p)[5..], CultureInfo.InvariantCulture))
            : Enumerable.Empty<string>();
}
