using System.Text.Json;
using KxCollector.Configuration;
using KxCollector.Hosting;
using KxCollector.Tests.Kalshi;
using KxCollector.Tests.Support;
using KxCollector.Cli;

namespace KxCollector.Tests.Hosting;

/// <summary>LOG_FORMAT=json: one JSON object per event and line, for log shippers; text stays the default.</summary>
public sealed class LogFormatTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task With_LOG_FORMAT_json_every_line_the_collector_prints_is_one_JSON_object_and_no_secret_is_in_them()
    {
        var key = TestKeys.WriteKeyFile(_dir.Path, TestKeys.Pkcs8Pem);
        using var process = CollectorProcess.Start(_dir.Path, OfflineSettings.For(
            "./data", ("LOG_FORMAT", "json"), ("KALSHI_API_KEY_ID", TestKeys.KeyId), ("KALSHI_PRIV_KEY_PATH", key)));
        await Poll.UntilAsync(
            () => process.StandardOutput.Contains("refused", StringComparison.OrdinalIgnoreCase) && process.StandardOutput.Contains("\"EventId\"", StringComparison.Ordinal),
            Timeout,
            () => "a feed's refused connection logged; stdout: " + process.StandardOutput + " stderr: " + process.StandardError);

        process.SendSignal(CollectorProcess.SigTerm);
        (await process.WaitForExitAsync(Timeout)).Should().Be(0, process.StandardError);

        var lines = (process.StandardOutput + process.StandardError).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCountGreaterThan(3);
        var events = lines.Select(ParseObject).ToList();
        events.Should().OnlyContain(e => Has(e, "@t") && Has(e, "@mt"));
        events.Select(e => e.GetProperty("@t").GetString()).Should().OnlyContain(t => t!.EndsWith('Z'), "times are UTC, as the data is");
        events.Should().Contain(e => Has(e, "@l") && e.GetProperty("@l").GetString() == "Warning", "refused connections are warnings");
        events.Should().Contain(
            e => Has(e, "EventId") && e.GetProperty("EventId").GetProperty("Id").GetInt32() == 504,
            "the start-up line carries its stable event id");

        var all = string.Join('\n', lines);
        all.Should().NotContain(TestKeys.KeyId, "a full key id is never logged");
        foreach (var pemLine in TestKeys.Pkcs8Pem.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
        {
            all.Should().NotContain(pemLine, "the private key is never logged");
        }
    }

    [Fact]
    public void An_exception_is_inside_its_event_s_JSON_line_with_its_stack_trace_even_under_journald()
    {
        var output = new StringWriter();
        using (var logger = LoggingSetup.Create(debug: false, journal: true, output, LogFormat.Json))
        {
            logger.Information("before");
            logger.Error(Thrown(), "Kalshi stream {Connection} failed unexpectedly; reconnecting", 2);
            logger.Information("after");
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().HaveCount(3, "the stack trace stays inside its line");
        var failed = ParseObject(lines[1]);
        failed.GetProperty("@l").GetString().Should().Be("Error");
        failed.GetProperty("@mt").GetString().Should().Be("Kalshi stream {Connection} failed unexpectedly; reconnecting");
        failed.GetProperty("Connection").GetInt32().Should().Be(2);
        var exception = failed.GetProperty("@x").GetString();
        exception.Should().StartWith("System.InvalidOperationException: the frame had no type").And.Contain("\n   at ").And.Contain(nameof(Thrown));
        lines.Should().OnlyContain(l => l.StartsWith('{'), "no journal priority prefix in front of JSON");
    }

    [Fact]
    public async Task A_LOG_FORMAT_other_than_text_or_json_stops_start_up_with_exit_78_naming_the_key()
    {
        using var process = CollectorProcess.Start(_dir.Path, OfflineSettings.For("./data", ("LOG_FORMAT", "xml")));

        (await process.WaitForExitAsync(Timeout)).Should().Be(78);
        process.StandardError.Trim().Should().Be("kxcollector: configuration error: LOG_FORMAT='xml' is not valid; expected text or json");
    }

    [Fact]
    public async Task Under_journald_the_text_lines_of_the_process_carry_their_syslog_priority()
    {
        using var process = CollectorProcess.Start(_dir.Path, OfflineSettings.For("./data", ("JOURNAL_STREAM", "8:12345")));
        await Poll.UntilAsync(
            () => process.StandardOutput.Contains("started as PID", StringComparison.Ordinal),
            Timeout,
            () => "the start-up line; stdout: " + process.StandardOutput);

        process.SendSignal(CollectorProcess.SigTerm);
        (await process.WaitForExitAsync(Timeout)).Should().Be(0);

        var lines = process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().OnlyContain(l => l.StartsWith("   ", StringComparison.Ordinal) || System.Text.RegularExpressions.Regex.IsMatch(l, @"^<[2-7]>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [A-Z]{3} "));
        lines.Should().Contain(l => l.StartsWith("<6>", StringComparison.Ordinal) && l.Contains("SystemdNotifyService: KxCollector", StringComparison.Ordinal));
    }

    private static bool Has(JsonElement e, string name) => e.TryGetProperty(name, out _);

    private static JsonElement ParseObject(string line)
    {
        using var doc = JsonDocument.Parse(line);
        doc.RootElement.ValueKind.Should().Be(JsonValueKind.Object, line);
        return doc.RootElement.Clone();
    }

    private static InvalidOperationException Thrown()
    {
        try
        {
            throw new InvalidOperationException("the frame had no type");
        }
        catch (InvalidOperationException ex)
        {
            return ex;
        }
    }
}
