using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Metrics;

/// <summary>
/// A private, real Prometheus server (Debian's <c>prometheus</c>, installed by .ci/setup.d) scraping one target every
/// second, with its own config and data in a temp folder and its HTTP API on a free loopback port.
/// </summary>
internal sealed class PrometheusServer : IDisposable
{
    private readonly TempDirectory _dir;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PrometheusServer(TempDirectory dir, Process process, int port)
    {
        _dir = dir;
        _process = process;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}") };
    }

    public HttpClient Api { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static PrometheusServer Start(int targetPort, string rulesFile)
    {
        var port = FreePorts.Loopback();
        var dir = new TempDirectory();
        var config = Path.Combine(dir.Path, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {rulesFile}
            scrape_configs:
              - job_name: kxcollector
                static_configs:
                  - targets: ["127.0.0.1:{targetPort.ToString(CultureInfo.InvariantCulture)}"]
            """);
        var info = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir.Path, "tsdb")}",
                     $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--log.level=warn",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        var server = new PrometheusServer(dir, new Process { StartInfo = info }, port);
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>An instant query's samples: each series' labels and value (empty when the series is absent).</summary>
    public async Task<List<(Dictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        using var response = await Api.GetAsync(new Uri("/api/v1/query?query=" + Uri.EscapeDataString(promql), UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => (
                r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Polls a query until <paramref name="accept"/> holds for its samples (Prometheus scrapes once a second).</summary>
    public async Task<List<(Dictionary<string, string> Labels, double Value)>> WaitForAsync(string promql, Func<List<(Dictionary<string, string> Labels, double Value)>, bool> accept, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        List<(Dictionary<string, string> Labels, double Value)> last = [];
        while (clock.Elapsed < timeout)
        {
            try
            {
                last = await QueryAsync(promql);
                if (accept(last))
                {
                    return last;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Prometheus: {promql} gave [{string.Join("; ", last.Select(s => $"{string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value))} {s.Value}"))}] after {timeout}. Output: {Output}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
        Api.Dispose();
        _dir.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
