using KxCollector.Status;
using System.Buffers;
using System.Text.Json;
using KxCollector.Kalshi.Index;
using Microsoft.Extensions.Logging.Abstractions;
using KxCollector.Pricing;

namespace KxCollector.Tests.Kalshi.Index;

/// <summary>The official_index section of status.json and the line `kxcollector status` prints from it.</summary>
public sealed class OfficialIndexStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 17, 14, 40, 500, TimeSpan.Zero);

    [Fact]
    public void A_refused_subscription_shows_Kalshi_s_error_and_a_subscribed_one_the_last_print_s_age()
    {
        var board = new OfficialIndexBoard(["BRTI"]);
        var feed = new OfficialIndexFeed(board, new IndexRecorder(board, [], Path.GetTempPath(), Now), NullLogger.Instance);
        feed.OnRefused("17", "Channel not available for this account", Now);

        var refused = Section(new OfficialIndexStatusContributor(feed, keyConfigured: true));
        refused.GetProperty("state").GetString().Should().Be("refused");
        refused.GetProperty("error").GetString().Should().Be("code 17: Channel not available for this account");
        refused.GetProperty("indexes").GetProperty("BRTI").GetProperty("last_print_ts").ValueKind.Should().Be(JsonValueKind.Null);
        OfficialIndexSection.Describe(refused).Should().Be("refused (code 17: Channel not available for this account); BRTI no print yet");

        feed.OnSubscribed();
        board.Publish(0, new IndexPrint("BRTI", Now.AddSeconds(-1.5).ToUnixTimeMilliseconds(), 65790.41m, 0));
        var subscribed = Section(new OfficialIndexStatusContributor(feed, keyConfigured: true));
        subscribed.GetProperty("error").ValueKind.Should().Be(JsonValueKind.Null);
        OfficialIndexSection.Describe(subscribed).Should().Be("subscribed; BRTI last print 1.5 s ago (65790.41)");

        Section(new OfficialIndexStatusContributor(feed, keyConfigured: false)).GetProperty("state").GetString().Should().Be("off_no_key");
        Section(new OfficialIndexStatusContributor(null, keyConfigured: true)).GetProperty("state").GetString().Should().Be("off");
    }

    private static JsonElement Section(OfficialIndexStatusContributor contributor)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            contributor.WriteStatus(writer, Now);
            writer.WriteEndObject();
        }

        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }
}
