using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CompatLab.Tests.Tracking;

/// <summary>
/// An in-process MLflow tracking server on 127.0.0.1 that enforces what the real one does and a client must honour:
/// log-batch limits (1000 metrics, 100 params, 100 tags, 1000 items, 1 MB), params that never change, 404
/// RESOURCE_DOES_NOT_EXIST, optional credentials. It can fail transiently on demand, stop and come back on the
/// same port with its state, and it records every request.
/// </summary>
internal sealed class FakeMlflowServer : IDisposable
{
    private const int MaxBodyBytes = 4_000_000;
    private const int MaxRequests = 20_000;
    private readonly object gate = new();
    private readonly Dictionary<string, string> experiments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeMlflowRun> runs = new(StringComparer.Ordinal);
    private readonly List<string> requests = new();
    private HttpListener? listener;
    private Thread? loop;
    private int nextExperiment = 1;

    public FakeMlflowServer(int? port = null)
    {
        Port = port ?? FreePort();
        Start();
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    /// <summary>When set, every request must carry exactly this Authorization header, else 401.</summary>
    public string? RequiredAuthorization { get; set; }

    /// <summary>The next this many requests get a 503, as from an overloaded server behind a proxy.</summary>
    public int FailNext { get; set; }

    public List<string> SeenAuthorizations { get; } = new();

    /// <summary>The artifact_uri a new run gets from (experiment id, run id); by default the proxy's mlflow-artifacts: URI.</summary>
    public Func<string, string, string> ArtifactUri { get; set; } = (experiment, run) => $"mlflow-artifacts:/{experiment}/{run}/artifacts";

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (gate)
            {
                return requests.ToList();
            }
        }
    }

    public IReadOnlyList<int> MetricsPerBatch { get; private set; } = new List<int>();

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public FakeMlflowRun SingleRun()
    {
        lock (gate)
        {
            return runs.Values.Single();
        }
    }

    public IReadOnlyList<FakeMlflowRun> Runs()
    {
        lock (gate)
        {
            return runs.Values.ToList();
        }
    }

    public string? ExperimentName(string id)
    {
        lock (gate)
        {
            return experiments.GetValueOrDefault(id);
        }
    }

    public void Start()
    {
        listener = new HttpListener();
        listener.Prefixes.Add(Address.ToString());
        listener.Start();
        var current = listener;
        loop = new Thread(() => Serve(current)) { IsBackground = true, Name = "fake-mlflow" };
        loop.Start();
    }

    /// <summary>The server goes away: connections are refused until <see cref="Start"/>. Its state stays.</summary>
    public void Stop()
    {
        listener?.Close();
        loop?.Join();
        listener = null;
    }

    public void Dispose() => Stop();

    private static JsonObject Error(string code, string message) => new() { ["error_code"] = code, ["message"] = message };

    private static double Number(JsonNode node) => node.GetValueKind() == JsonValueKind.String
        ? node.GetValue<string>() switch { "NaN" => double.NaN, "Infinity" => double.PositiveInfinity, "-Infinity" => double.NegativeInfinity, var s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) }
        : node.GetValue<double>();

    private static List<KeyValuePair<string, string>> Pairs(JsonNode? list) =>
        (list as JsonArray ?? new JsonArray()).Select(p => new KeyValuePair<string, string>(p!["key"]!.GetValue<string>(), p["value"]?.GetValue<string>() ?? string.Empty)).ToList();

    private void Serve(HttpListener server)
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = server.GetContext();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Handle(context);
            }
            catch (Exception e)
            {
                Reply(context, 500, Error("INTERNAL_ERROR", e.Message));
            }
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        string path = request.Url!.AbsolutePath;
        string? authorization = request.Headers["Authorization"];
        using var body = new MemoryStream();
        request.InputStream.CopyTo(body);
        lock (gate)
        {
            requests.Add($"{request.HttpMethod} {path}");
            if (authorization is not null)
            {
                SeenAuthorizations.Add(authorization);
            }

            if (requests.Count > MaxRequests || body.Length > MaxBodyBytes)
            {
                Reply(context, 413, Error("REQUEST_LIMIT_EXCEEDED", "too many requests or too large a body"));
                return;
            }

            if (FailNext > 0)
            {
                FailNext--;
                Reply(context, 503, Error("TEMPORARILY_UNAVAILABLE", "try again"));
                return;
            }

            if (RequiredAuthorization is not null && authorization != RequiredAuthorization)
            {
                Reply(context, 401, Error("UNAUTHENTICATED", "credentials required"));
                return;
            }

            if (request.HttpMethod == "PUT" && path.StartsWith("/api/2.0/mlflow-artifacts/artifacts/", StringComparison.Ordinal))
            {
                PutArtifact(context, Uri.UnescapeDataString(path["/api/2.0/mlflow-artifacts/artifacts/".Length..]), body.ToArray());
                return;
            }

            var json = body.Length == 0 ? new JsonObject() : JsonNode.Parse(Encoding.UTF8.GetString(body.ToArray()))!.AsObject();
            var query = System.Web.HttpUtility.ParseQueryString(request.Url.Query);
            var (status, answer) = (request.HttpMethod, path) switch
            {
                ("GET", "/api/2.0/mlflow/experiments/get-by-name") => GetExperiment(query["experiment_name"] ?? string.Empty),
                ("POST", "/api/2.0/mlflow/experiments/create") => CreateExperiment(json),
                ("POST", "/api/2.0/mlflow/runs/create") => CreateRun(json),
                ("POST", "/api/2.0/mlflow/runs/update") => UpdateRun(json),
                ("POST", "/api/2.0/mlflow/runs/log-batch") => LogBatch(json, body.Length),
                ("GET", "/api/2.0/mlflow/runs/get") => GetRun(query["run_id"] ?? string.Empty),
                ("POST", "/api/2.0/mlflow/runs/log-inputs") => LogInputs(json),
                _ => (404, Error("ENDPOINT_NOT_FOUND", $"no {request.HttpMethod} {path}")),
            };
            Reply(context, status, answer);
        }
    }

    private (int, JsonObject) GetExperiment(string name)
    {
        var found = experiments.FirstOrDefault(e => e.Value == name);
        return found.Key is null
            ? (404, Error("RESOURCE_DOES_NOT_EXIST", $"Could not find experiment with name '{name}'"))
            : (200, new JsonObject { ["experiment"] = new JsonObject { ["experiment_id"] = found.Key, ["name"] = name, ["lifecycle_stage"] = "active" } });
    }

    private (int, JsonObject) CreateExperiment(JsonObject json)
    {
        string name = json["name"]!.GetValue<string>();
        if (experiments.ContainsValue(name))
        {
            return (400, Error("RESOURCE_ALREADY_EXISTS", $"Experiment '{name}' already exists."));
        }

        string id = (nextExperiment++).ToString(System.Globalization.CultureInfo.InvariantCulture);
        experiments[id] = name;
        return (200, new JsonObject { ["experiment_id"] = id });
    }

    private (int, JsonObject) CreateRun(JsonObject json)
    {
        string experiment = json["experiment_id"]!.GetValue<string>();
        if (!experiments.ContainsKey(experiment))
        {
            return (404, Error("RESOURCE_DOES_NOT_EXIST", $"No experiment {experiment}"));
        }

        var run = new FakeMlflowRun(Guid.NewGuid().ToString("N"), experiment, json["run_name"]!.GetValue<string>(), json["start_time"]!.GetValue<long>());
        foreach (var (key, value) in Pairs(json["tags"]))
        {
            run.Tags[key] = value;
        }

        run.Tags["mlflow.runName"] = run.Name;
        runs[run.Id] = run;
        return (200, new JsonObject { ["run"] = RunJson(run) });
    }

    private (int, JsonObject) UpdateRun(JsonObject json)
    {
        if (!runs.TryGetValue(json["run_id"]?.GetValue<string>() ?? string.Empty, out var run))
        {
            return (404, Error("RESOURCE_DOES_NOT_EXIST", "Run not found"));
        }

        run.Status = json["status"]!.GetValue<string>();
        if (json["end_time"] is { } end)
        {
            run.EndTime = end.GetValue<long>();
        }

        return (200, new JsonObject { ["run_info"] = RunJson(run)["info"]!.DeepClone() });
    }

    private (int, JsonObject) LogBatch(JsonObject json, long bytes)
    {
        if (!runs.TryGetValue(json["run_id"]?.GetValue<string>() ?? string.Empty, out var run))
        {
            return (404, Error("RESOURCE_DOES_NOT_EXIST", "Run not found"));
        }

        var metrics = json["metrics"] as JsonArray ?? new JsonArray();
        var parameters = Pairs(json["params"]);
        var tags = Pairs(json["tags"]);
        if (metrics.Count > 1000 || parameters.Count > 100 || tags.Count > 100 || metrics.Count + parameters.Count + tags.Count > 1000 || bytes > 1_000_000)
        {
            return (400, Error("INVALID_PARAMETER_VALUE", $"batch over the limits: {metrics.Count} metrics, {parameters.Count} params, {tags.Count} tags, {bytes} bytes"));
        }

        if (parameters.Select(p => p.Key).Distinct().Count() != parameters.Count)
        {
            return (400, Error("INVALID_PARAMETER_VALUE", "Duplicate parameter keys have been submitted"));
        }

        // Validate before applying anything, so a refused batch changes nothing.
        foreach (var (key, value) in parameters)
        {
            if (run.Params.TryGetValue(key, out string? existing) && existing != value)
            {
                return (400, Error("INVALID_PARAMETER_VALUE", $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{existing}'"));
            }
        }

        foreach (var (key, value) in parameters)
        {
            run.Params[key] = value;
        }

        foreach (var (key, value) in tags)
        {
            run.Tags[key] = value;
        }

        foreach (var metric in metrics)
        {
            run.Metrics.Add((metric!["key"]!.GetValue<string>(), Number(metric["value"]!), metric["step"]?.GetValue<long>() ?? 0, metric["timestamp"]!.GetValue<long>()));
        }

        MetricsPerBatch = MetricsPerBatch.Append(metrics.Count).ToList();
        return (200, new JsonObject());
    }

    private (int, JsonObject) LogInputs(JsonObject json)
    {
        if (!runs.TryGetValue(json["run_id"]?.GetValue<string>() ?? string.Empty, out var run))
        {
            return (404, Error("RESOURCE_DOES_NOT_EXIST", "Run not found"));
        }

        foreach (var input in json["datasets"] as JsonArray ?? new JsonArray())
        {
            var dataset = input!["dataset"]!;
            string context = Pairs(input["tags"]).FirstOrDefault(t => t.Key == "mlflow.data.context").Value ?? string.Empty;
            run.Inputs.Add((dataset["name"]!.GetValue<string>(), dataset["digest"]!.GetValue<string>(), dataset["source_type"]!.GetValue<string>(), dataset["source"]!.GetValue<string>(), context));
        }

        return (200, new JsonObject());
    }

    private (int, JsonObject) GetRun(string id)
    {
        if (!runs.TryGetValue(id, out var run))
        {
            return (404, Error("RESOURCE_DOES_NOT_EXIST", $"Run '{id}' not found"));
        }

        var data = new JsonObject
        {
            ["params"] = new JsonArray(run.Params.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray()),
            ["tags"] = new JsonArray(run.Tags.Select(p => (JsonNode)new JsonObject { ["key"] = p.Key, ["value"] = p.Value }).ToArray()),
        };
        var json = RunJson(run);
        json["data"] = data;
        return (200, new JsonObject { ["run"] = json });
    }

    private void PutArtifact(HttpListenerContext context, string path, byte[] content)
    {
        // <experiment>/<run>/artifacts/<path>
        string[] parts = path.Split('/', 4);
        if (parts.Length < 4 || parts[2] != "artifacts" || !runs.TryGetValue(parts[1], out var run))
        {
            Reply(context, 404, Error("RESOURCE_DOES_NOT_EXIST", $"no run for artifact path {path}"));
            return;
        }

        run.Artifacts[parts[3]] = content;
        Reply(context, 200, new JsonObject());
    }

    private JsonObject RunJson(FakeMlflowRun run) => new()
    {
        ["info"] = new JsonObject
        {
            ["run_id"] = run.Id,
            ["run_uuid"] = run.Id,
            ["experiment_id"] = run.ExperimentId,
            ["run_name"] = run.Name,
            ["status"] = run.Status,
            ["start_time"] = run.StartTime,
            ["artifact_uri"] = ArtifactUri(run.ExperimentId, run.Id),
            ["lifecycle_stage"] = "active",
        },
    };

    private static void Reply(HttpListenerContext context, int status, JsonObject body)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = bytes.Length;
        context.Response.OutputStream.Write(bytes);
        context.Response.Close();
    }
}
