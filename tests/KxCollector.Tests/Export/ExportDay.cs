using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace KxCollector.Tests.Export;

/// <summary>
/// A hand-made recorded day in the shapes the recorder writes and the other branches agreed (index, game, the new
/// tick/trade/lifecycle/settlement keys): ticks with books, a sports-free series' trades, backfill files beside it.
/// </summary>
internal static class ExportDay
{
    public static readonly DateOnly Day = new(2026, 11, 21);

    public static IReadOnlyList<string> RecordedLines(int ticks = 120)
    {
        var lines = new List<string>();
        var start = new DateTime(2026, 11, 21, 19, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < ticks; i++)
        {
            var ts = start.AddSeconds(i).AddMilliseconds(1 + (i % 7));
            var brti = i % 17 == 5 ? "null" : (98811.27m + (i * 0.01m)).ToString(CultureInfo.InvariantCulture);
            var official = i % 5 == 0 ? "null" : (98810.5m + i).ToString(CultureInfo.InvariantCulture);
            var officialTs = official == "null" ? "null" : $"\"{start.AddSeconds(i - 1):yyyy-MM-dd'T'HH:mm:ss}.000Z\"";
            var markets = new StringBuilder();
            for (var m = 0; m < 3; m++)
            {
                if (m > 0)
                {
                    markets.Append(',');
                }

                var bid = 5.6m + m + (i % 3 * 0.1m);
                var book = i % 11 == 3 ? "\"yes_book\":null,\"no_book\":null" : $"\"yes_book\":[[{bid},4000],[{bid - 0.1m},120.5]],\"no_book\":[[{94.3m - m},10]]";
                markets.Append(CultureInfo.InvariantCulture, $"{{\"ticker\":\"KXBTC15M-26NOV211915-{15 + m}\",\"status\":\"active\",\"yes_bid\":{bid},\"yes_ask\":{bid + 0.1m},\"no_bid\":{100 - bid - 0.1m},\"no_ask\":{100 - bid},\"last_price\":{bid},\"volume\":1552141.8,\"open_interest\":480551.08,\"strike\":{(m == 2 ? "null" : "65776.62")},\"secs_left\":{900 - i},\"age_ms\":{830 + m},\"src\":\"{(i % 4 == 0 ? "rest" : "ws")}\",{book}}}");
            }

            lines.Add($"{{\"type\":\"tick\",\"ts\":\"{ts:yyyy-MM-dd'T'HH:mm:ss.fff}Z\",\"brti\":{brti},\"official_index\":{official},\"official_index_ts\":{officialTs},\"coinbase\":98811.035,\"kraken\":{(i % 9 == 0 ? "null" : "98811.25")},\"bitstamp\":98808.5,\"markets\":[{markets}]}}");
            if (i % 10 == 0)
            {
                lines.Add($"{{\"type\":\"index\",\"ts\":\"{start.AddSeconds(i):yyyy-MM-dd'T'HH:mm:ss}.000Z\",\"index_id\":\"BRTI\",\"value\":{98810.12m + i},\"received_at\":\"{start.AddSeconds(i):yyyy-MM-dd'T'HH:mm:ss}.412Z\"}}");
            }
        }

        lines.AddRange(
        [
            "{\"type\":\"trade\",\"ts\":\"2026-11-21T19:00:12.000Z\",\"ticker\":\"KXBTC15M-26NOV211915-15\",\"trade_id\":\"t-stream-1\",\"yes_price\":36,\"no_price\":64,\"count\":136,\"taker_side\":\"no\",\"taker_outcome_side\":\"no\",\"taker_book_side\":\"bid\",\"is_block_trade\":false}",
            "{\"type\":\"trade\",\"ts\":\"2026-11-21T19:00:13.250Z\",\"ticker\":\"KXBTC15M-26NOV211915-16\",\"trade_id\":\"t-stream-2\",\"yes_price\":5.6,\"no_price\":94.4,\"count\":1.5,\"taker_side\":\"yes\",\"taker_outcome_side\":\"yes\",\"taker_book_side\":\"ask\",\"is_block_trade\":true}",
            "{\"type\":\"trade\",\"ts\":\"2026-11-21T19:00:14.000Z\",\"ticker\":\"KXBTC15M-26NOV211915-16\",\"trade_id\":\"t-old\",\"yes_price\":6,\"no_price\":94,\"count\":2,\"taker_side\":\"yes\"}",
            "{\"type\":\"lifecycle\",\"ts\":\"2026-11-21T19:15:03.118Z\",\"ticker\":\"KXBTC15M-26NOV211915-15\",\"event\":\"determined\",\"result\":\"yes\",\"yes_payout\":100,\"determined_time\":\"2026-11-21T19:15:02.000Z\"}",
            "{\"type\":\"lifecycle\",\"ts\":\"2026-11-21T19:00:00.500Z\",\"ticker\":\"KXBTC15M-26NOV211930-15\",\"event\":\"created\",\"open_time\":\"2026-11-21T19:15:00.000Z\",\"close_time\":\"2026-11-21T19:30:00.000Z\"}",
            "{\"type\":\"lifecycle\",\"ts\":\"2026-11-21T18:45:04.000Z\",\"ticker\":\"KXBTC15M-26NOV211845-15\",\"event\":\"settled\",\"result\":\"no\",\"settlement_value\":65776.62,\"settled_time\":\"2026-11-21T18:45:03.000Z\"}",
            "{\"type\":\"settlement\",\"ts\":\"2026-11-21T19:15:11.402Z\",\"ticker\":\"KXBTC15M-26NOV211915-15\",\"close_time\":\"2026-11-21T19:15:00.000Z\",\"result\":\"yes\",\"expiration_value\":65776.62,\"strike\":65744.55,\"brti_avg60\":65771.20,\"brti_samples\":60,\"official_avg60\":65776.6,\"official_samples\":59,\"kalshi_avg60\":65776.62,\"kalshi_avg60_window_size\":60,\"kalshi_avg60_window_start\":\"2026-11-21T19:14:00.000Z\",\"kalshi_avg60_window_end\":\"2026-11-21T19:15:00.000Z\"}",
            "{\"type\":\"settlement\",\"ts\":\"2026-11-21T18:45:09.000Z\",\"ticker\":\"KXBTC15M-26NOV211845-15\",\"close_time\":\"2026-11-21T18:45:00.000Z\",\"result\":\"no\",\"expiration_value\":65100.25,\"strike\":65200,\"brti_avg60\":null,\"brti_samples\":0,\"src\":\"backfill\"}",
            "{\"type\":\"game\",\"ts\":\"2026-11-21T18:00:00.000Z\",\"milestone_id\":\"m-1\",\"event_tickers\":[\"KXNFLGAME-26NOV22KCBUF\"],\"milestone_type\":\"football_game\",\"details\":{\"home\":\"KC\",\"note\":\"7,3 \\\"q\\\"\\nend\"}}",
        ]);
        return lines;
    }

    /// <summary>The backfill's trades: one also recorded by the stream (same trade_id), one only here.</summary>
    public static IReadOnlyList<string> BackfillTradeLines() =>
    [
        "{\"type\":\"trade\",\"ts\":\"2026-11-21T19:00:12.000Z\",\"ticker\":\"KXBTC15M-26NOV211915-15\",\"trade_id\":\"t-stream-1\",\"yes_price\":36,\"no_price\":64,\"count\":136,\"taker_side\":\"no\",\"src\":\"backfill\"}",
        "{\"type\":\"trade\",\"ts\":\"2026-11-21T18:59:59.123Z\",\"ticker\":\"KXBTC15M-26NOV211915-15\",\"trade_id\":\"t-backfill-1\",\"yes_price\":35,\"no_price\":65,\"count\":1.25,\"taker_side\":\"yes\",\"src\":\"backfill\"}",
    ];

    public static IReadOnlyList<string> BackfillCandleLines() =>
    [
        "{\"type\":\"candle\",\"ts\":\"2026-11-21T19:01:00.000Z\",\"ticker\":\"KXBTC15M-26NOV211915-15\",\"interval\":\"1m\",\"end\":\"2026-11-21T19:01:00.000Z\",\"yes_bid\":{\"open\":55,\"low\":54,\"high\":56,\"close\":55},\"yes_ask\":{\"open\":57,\"low\":56,\"high\":58,\"close\":57},\"price\":{\"open\":56,\"low\":55,\"high\":57,\"close\":56,\"mean\":56.12,\"previous\":55},\"volume\":10,\"open_interest\":4500,\"src\":\"backfill\"}",
        "{\"type\":\"candle\",\"ts\":\"2026-11-21T19:02:00.000Z\",\"ticker\":\"KXBTC15M-26NOV211915-15\",\"interval\":\"1m\",\"end\":\"2026-11-21T19:02:00.000Z\",\"yes_bid\":{\"open\":null,\"low\":null,\"high\":null,\"close\":null},\"yes_ask\":{\"open\":57,\"low\":56,\"high\":58,\"close\":57},\"price\":{\"open\":null,\"low\":null,\"high\":null,\"close\":null,\"mean\":null,\"previous\":56},\"volume\":0,\"open_interest\":4500,\"src\":\"backfill\"}",
    ];

    /// <summary>Writes the day into a data folder: the recorded file (gzip-compressed when asked) and the backfill files.</summary>
    public static void Write(string dataDirectory, DateOnly day, bool compressRecorded, IReadOnlyList<string>? recorded = null)
    {
        var name = Path.Combine(dataDirectory, $"kxbtc15m-{day:yyyy-MM-dd}.jsonl");
        var text = string.Join("\n", recorded ?? RecordedLines()) + "\n";
        if (compressRecorded)
        {
            using var file = File.Create(name + ".gz");
            using var gz = new GZipStream(file, CompressionLevel.Optimal);
            gz.Write(Encoding.UTF8.GetBytes(text));
        }
        else
        {
            File.WriteAllText(name, text);
        }

        var backfill = Path.Combine(dataDirectory, "backfill", "KXBTC15M");
        Directory.CreateDirectory(backfill);
        File.WriteAllText(Path.Combine(backfill, $"kxbtc15m-trades-{day:yyyy-MM-dd}.jsonl"), string.Join("\n", BackfillTradeLines()) + "\n");
        File.WriteAllText(Path.Combine(backfill, $"kxbtc15m-candles-1m-{day:yyyy-MM-dd}.jsonl"), string.Join("\n", BackfillCandleLines()) + "\n");
    }
}
