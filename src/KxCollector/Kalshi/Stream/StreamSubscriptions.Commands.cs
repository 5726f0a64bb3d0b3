using System.Buffers;
using System.Text.Json;

namespace KxCollector.Kalshi.Stream;

/// <summary>The commands' wire form: subscribe, update_subscription, unsubscribe and the probe, each remembered as pending until answered.</summary>
internal sealed partial class StreamSubscriptions
{
    /// <summary>
    /// A harmless command whose answer proves the link is alive when the markets are quiet (Kalshi's own pings are
    /// answered inside ClientWebSocket and never seen here). Any reply, even an error, counts as a frame.
    /// </summary>
    public byte[] ProbeCommand(DateTimeOffset now)
    {
        _now = now;
        var id = ++_nextId;
        _pending[id] = new Command(CommandKind.Probe, null, now);
        return Build(id, "list_subscriptions", static _ => { });
    }

    private byte[] Subscribe(CommandKind kind, string[] channels, List<string>? markets)
    {
        var id = ++_nextId;
        _pending[id] = new Command(kind, markets, _now);
        return Build(id, "subscribe", writer =>
        {
            writer.WriteStartArray("channels");
            foreach (var channel in channels)
            {
                writer.WriteStringValue(channel);
            }

            writer.WriteEndArray();
            if (markets is not null)
            {
                WriteTickers(writer, markets);
            }

            // Kalshi announced use_yes_price's default will flip to true (NO levels in YES prices): the books are
            // read as NO levels in NO-leg prices, so it is asked for explicitly. A ticker subscription otherwise
            // waits for a change before its first quote; quiet markets would show none for minutes.
            if (channels.Contains(BookChannel))
            {
                writer.WriteBoolean("use_yes_price", false);
            }

            if (channels.Contains(TickerChannel))
            {
                writer.WriteBoolean("send_initial_snapshot", true);
            }
        });
    }

    private byte[] Update(CommandKind kind, long sid, List<string> markets)
    {
        var id = ++_nextId;
        _pending[id] = new Command(kind, markets, _now);
        var action = kind switch
        {
            CommandKind.AddMarkets => "add_markets",
            CommandKind.DeleteMarkets => "delete_markets",
            _ => "get_snapshot",
        };
        return Build(id, "update_subscription", writer =>
        {
            writer.WriteNumber("sid", sid);
            WriteTickers(writer, markets);
            writer.WriteString("action", action);
        });
    }

    private byte[] Unsubscribe(List<long> sids)
    {
        var id = ++_nextId;
        _pending[id] = new Command(CommandKind.Unsubscribe, null, _now);
        return Build(id, "unsubscribe", writer =>
        {
            writer.WriteStartArray("sids");
            foreach (var sid in sids)
            {
                writer.WriteNumberValue(sid);
            }

            writer.WriteEndArray();
        });
    }

    private static void WriteTickers(Utf8JsonWriter writer, List<string> markets)
    {
        writer.WriteStartArray("market_tickers");
        foreach (var ticker in markets)
        {
            writer.WriteStringValue(ticker);
        }

        writer.WriteEndArray();
    }

    private static byte[] Build(long id, string cmd, Action<Utf8JsonWriter> writeParams)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            writer.WriteString("cmd", cmd);
            writer.WriteStartObject("params");
            writeParams(writer);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private sealed record Command(CommandKind Kind, List<string>? Markets, DateTimeOffset SentAt);
}
