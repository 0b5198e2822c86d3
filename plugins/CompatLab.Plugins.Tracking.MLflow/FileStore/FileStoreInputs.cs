using System.Security.Cryptography;
using System.Text;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow.FileStore;

/// <summary>
/// A run's data sets in MLflow's file-store layout: each data set once per experiment under
/// &lt;experiment&gt;/datasets/&lt;id&gt;/meta.yaml, and a link per run under &lt;run&gt;/inputs/&lt;id&gt;/meta.yaml. The ids are
/// MLflow's own (MD5 of name and digest; of data set id and run id), so logging the same input twice changes nothing.
/// </summary>
internal static class FileStoreInputs
{
    // Ids and digests are hex and may look like numbers ("1234e5"), so they are always quoted, as RunMeta does.
    public static void Write(string experimentFolder, FileStoreRun run, IEnumerable<DatasetInput> inputs)
    {
        foreach (var input in inputs)
        {
            string datasetId = Md5(input.Name + input.Digest);
            string datasetFolder = Path.Combine(experimentFolder, "datasets", datasetId);
            string datasetMeta = Path.Combine(datasetFolder, "meta.yaml");
            if (!File.Exists(datasetMeta))
            {
                FileStoreRun.WriteAtomically(experimentFolder, datasetMeta, Yaml.Document(new Dictionary<string, string>
                {
                    ["digest"] = RunMeta.Quoted(input.Digest),
                    ["name"] = Yaml.Scalar(input.Name),
                    ["profile"] = "null",
                    ["schema"] = "null",
                    ["source"] = Yaml.Scalar(input.Source),
                    ["source_type"] = Yaml.Scalar(input.SourceType),
                }));
            }

            string inputMeta = Path.Combine(run.Folder, "inputs", Md5(datasetId + run.RunId), "meta.yaml");
            if (!File.Exists(inputMeta))
            {
                string links = Yaml.Document(new Dictionary<string, string>
                {
                    ["destination_id"] = RunMeta.Quoted(run.RunId),
                    ["destination_type"] = "RUN",
                    ["source_id"] = RunMeta.Quoted(datasetId),
                    ["source_type"] = "DATASET",
                });
                string tags = $"tags:\n  {DatasetInputs.ContextTag}: {Yaml.Scalar(input.Context)}\n";
                FileStoreRun.WriteAtomically(run.Folder, inputMeta, links + tags);
            }
        }
    }

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
}
