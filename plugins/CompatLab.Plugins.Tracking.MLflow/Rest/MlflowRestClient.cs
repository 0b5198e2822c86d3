using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompatLab.Abstractions.Tracking;

namespace CompatLab.Plugins.Tracking.MLflow.Rest;

/// <summary>
/// A small client for MLflow's tracking REST API (/api/2.0/mlflow) and artifact proxy. Transient failures (5xx,
/// 408, 429, connection errors, timeouts) are retried with backoff and end in <see cref="MlflowUnreachableException"/>;
/// any other error answer is a <see cref="MlflowApiException"/>. Calls are synchronous: the host tracks from one thread.
/// </summary>
internal sealed class MlflowRestClient : IDisposable
{
    private static readonly JsonSerializerOptions BodyFormat = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly HttpClient http;
    private readonly Uri server;
    private readonly MlflowCredentials credentials;
    private readonly RetryPolicy retry;

    public MlflowRestClient(Uri server, MlflowCredentials credentials, TimeSpan timeout, RetryPolicy retry)
    {
        this.server = server;
        this.credentials = credentials;
        this.retry = retry;
        http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = timeout };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("compatlab-mlflow", typeof(MlflowRestClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    public string Display => server.ToString();

    /// <summary>The id of the active experiment of that name, or null when the server has none.</summary>
    public string? FindExperiment(string name)
    {
        try
        {
            var answer = Call(HttpMethod.Get, "experiments/get-by-name?experiment_name=" + Uri.EscapeDataString(name), null);
            var experiment = answer.GetProperty("experiment");
            if (experiment.TryGetProperty("lifecycle_stage", out var stage) && stage.GetString() == "deleted")
            {
                throw new MlflowApiException(400, "INVALID_STATE", $"experiment '{name}' is deleted on {Display}; restore it or choose another experimentName");
            }

            return experiment.GetProperty("experiment_id").GetString();
        }
        catch (MlflowApiException e) when (e.ErrorCode == MlflowApiException.ResourceDoesNotExist)
        {
            return null;
        }
    }

    public string GetOrCreateExperiment(string name)
    {
        if (FindExperiment(name) is { } existing)
        {
            return existing;
        }

        try
        {
            return Call(HttpMethod.Post, "experiments/create", new JsonObject { ["name"] = name }).GetProperty("experiment_id").GetString()!;
        }
        catch (MlflowApiException e) when (e.ErrorCode == MlflowApiException.ResourceAlreadyExists)
        {
            // Another process created it between our look-up and our create.
            return FindExperiment(name) ?? throw new MlflowApiException(e.Status, e.ErrorCode, $"experiment '{name}' exists on {Display} but cannot be found by name");
        }
    }

    public CreatedRun CreateRun(string experimentId, string runName, long startTime, IReadOnlyDictionary<string, string> tags, string user)
    {
        var body = new JsonObject
        {
            ["experiment_id"] = experimentId,
            ["user_id"] = user,
            ["run_name"] = runName,
            ["start_time"] = startTime,
            ["tags"] = Pairs(tags),
        };
        var info = Call(HttpMethod.Post, "runs/create", body).GetProperty("run").GetProperty("info");
        string runId = info.GetProperty("run_id").GetString()!;
        string? artifactUri = info.TryGetProperty("artifact_uri", out var uri) ? uri.GetString() : null;
        return new CreatedRun(runId, artifactUri);
    }

    /// <param name="status">RUNNING, FINISHED, FAILED or KILLED.</param>
    public void UpdateRun(string runId, string status, long? endTime)
    {
        var body = new JsonObject { ["run_id"] = runId, ["status"] = status };
        if (endTime is { } end)
        {
            body["end_time"] = end;
        }

        Call(HttpMethod.Post, "runs/update", body);
    }

    public void LogBatch(string runId, LogBatch batch)
    {
        var metrics = new JsonArray();
        foreach (var point in batch.Metrics)
        {
            metrics.Add(new JsonObject
            {
                ["key"] = point.Key,
                ["value"] = Number(point.Value),
                ["timestamp"] = point.TimestampMs,
                ["step"] = point.Step,
            });
        }

        var body = new JsonObject
        {
            ["run_id"] = runId,
            ["metrics"] = metrics,
            ["params"] = Pairs(batch.Params),
            ["tags"] = Pairs(batch.Tags),
        };
        Call(HttpMethod.Post, "runs/log-batch", body);
    }

    /// <summary>Records data sets as the run's inputs (runs/log-inputs); each with its role as the mlflow.data.context tag.</summary>
    public void LogInputs(string runId, IEnumerable<Abstractions.Tracking.DatasetInput> datasets)
    {
        var list = new JsonArray();
        foreach (var input in datasets)
        {
            list.Add(new JsonObject
            {
                ["tags"] = Pairs(new[] { new KeyValuePair<string, string>(DatasetInputs.ContextTag, input.Context) }),
                ["dataset"] = new JsonObject
                {
                    ["name"] = input.Name,
                    ["digest"] = input.Digest,
                    ["source_type"] = input.SourceType,
                    ["source"] = input.Source,
                },
            });
        }

        Call(HttpMethod.Post, "runs/log-inputs", new JsonObject { ["run_id"] = runId, ["datasets"] = list });
    }

    /// <summary>The params the run already has on the server.</summary>
    public Dictionary<string, string> GetParams(string runId)
    {
        var data = Call(HttpMethod.Get, "runs/get?run_id=" + Uri.EscapeDataString(runId), null).GetProperty("run").GetProperty("data");
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        if (data.TryGetProperty("params", out var list))
        {
            foreach (var pair in list.EnumerateArray())
            {
                found[pair.GetProperty("key").GetString()!] = pair.TryGetProperty("value", out var value) ? value.GetString() ?? string.Empty : string.Empty;
            }
        }

        return found;
    }

    /// <summary>Uploads a local file through the artifact proxy to &lt;artifactRoot&gt;/&lt;artifactPath&gt;.</summary>
    public void UploadArtifact(string artifactRoot, string artifactPath, string localPath)
    {
        string path = string.Join('/', (artifactRoot + "/" + artifactPath).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
        Send(
            () => new HttpRequestMessage(HttpMethod.Put, new Uri(server, "api/2.0/mlflow-artifacts/artifacts/" + path))
            {
                Content = new StreamContent(File.OpenRead(localPath)) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } },
            },
            "artifact upload " + artifactPath);
    }

    public void Dispose() => http.Dispose();

    private static JsonArray Pairs(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new(pairs.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray());

    // JSON has no NaN or infinities; MLflow's protobuf JSON parser takes them as these strings.
    private static JsonNode Number(double value) => value switch
    {
        double.NaN => JsonValue.Create("NaN"),
        double.PositiveInfinity => JsonValue.Create("Infinity"),
        double.NegativeInfinity => JsonValue.Create("-Infinity"),
        _ => JsonValue.Create(value),
    };

    private static MlflowApiException ErrorFrom(int status, string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_code", out var code))
            {
                string message = root.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;
                return new MlflowApiException(status, code.GetString() ?? "UNKNOWN", message);
            }
        }
        catch (JsonException)
        {
            // Not MLflow's error body (a proxy's HTML page, say): report its start below.
        }

        string start = text.Length > 200 ? text[..200] + "..." : text;
        return new MlflowApiException(status, $"HTTP_{status}", start.ReplaceLineEndings(" "));
    }

    private JsonElement Call(HttpMethod method, string endpoint, JsonNode? body) =>
        Send(
            () => new HttpRequestMessage(method, new Uri(server, "api/2.0/mlflow/" + endpoint))
            {
                Content = body is null ? null : new StringContent(body.ToJsonString(BodyFormat), Encoding.UTF8, "application/json"),
            },
            endpoint.Split('?')[0]);

    private JsonElement Send(Func<HttpRequestMessage> build, string what)
    {
        Exception? last = null;
        for (int attempt = 0; attempt <= retry.MaxRetries; attempt++)
        {
            if (attempt > 0)
            {
                Thread.Sleep(retry.DelayBefore(attempt));
            }

            try
            {
                using var request = build();
                credentials.Apply(request);
                using var response = http.Send(request);
                using var reader = new StreamReader(response.Content.ReadAsStream(), Encoding.UTF8);
                string text = reader.ReadToEnd();
                int status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    if (text.Trim().Length == 0)
                    {
                        return default;
                    }

                    using var document = JsonDocument.Parse(text);
                    return document.RootElement.Clone();
                }

                if (status is >= 500 or 408 or 429)
                {
                    last = ErrorFrom(status, text);
                    continue;
                }

                throw ErrorFrom(status, text);
            }
            catch (HttpRequestException e)
            {
                last = e;
            }
            catch (TaskCanceledException)
            {
                last = new TimeoutException($"no answer within {http.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s");
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                last = e;
            }
        }

        throw new MlflowUnreachableException($"{Display} could not be reached for {what} ({retry.MaxRetries + 1} tries): {last?.Message}", last);
    }
}
