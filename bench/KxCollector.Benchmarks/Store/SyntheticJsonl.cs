using System.Globalization;
using System.Text;

namespace KxCollector.Benchmarks.Store;

/// <summary>Recorded-looking lines for the store benchmarks: ticks of KXBTC15M with a few markets and their books.</summary>
public static class SyntheticJsonl
{
    public static string TickLine(DateTime ts, int markets, bool withBooks, int seed = 0, string series = "KXBTC15M")
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder(2048);
        sb.Append(c, $"{{\"type\":\"tick\",\"ts\":\"{ts:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\",\"brti\":70241.33,\"coinbase\":70241.155,\"kraken\":70244.25,\"bitstamp\":70241.5,\"markets\":[");
        for (var m = 0; m < markets; m++)
        {
            var bid = 1 + ((seed + m * 37 + ts.Second * 7) % 970) / 10m;
            var close = ts.AddMinutes(15 - (ts.Minute % 15));
            if (m > 0)
            {
                sb.Append(',');
            }

            sb.Append(c, $"{{\"ticker\":\"{series}-{close:yyMMMddHHmm}-{m}\",\"status\":\"active\",\"yes_bid\":{bid},\"yes_ask\":{bid + 0.1m},\"no_bid\":{99.9m - bid},\"no_ask\":{100m - bid},");
            sb.Append(c, $"\"last_price\":{bid},\"volume\":1552141.8,\"open_interest\":480551.08,\"strike\":{65776.62m + m},\"secs_left\":{(int)(close - ts).TotalSeconds},\"age_ms\":830,\"src\":\"ws\"");
            if (withBooks)
            {
                sb.Append(c, $",\"yes_book\":[[{bid},4000],[{bid - 0.1m},120]],\"no_book\":[[{99.9m - bid},22]]");
            }

            sb.Append('}');
        }

        sb.Append("]}");
        return sb.ToString();
    }

    public static string TradeLine(DateTime ts, string ticker, long id)
    {
        var c = CultureInfo.InvariantCulture;
        return string.Create(c, $"{{\"type\":\"trade\",\"ts\":\"{ts:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}\",\"ticker\":\"{ticker}\",\"trade_id\":\"bench-{ticker}-{id}\",\"yes_price\":5.6,\"no_price\":94.4,\"count\":12,\"taker_side\":\"yes\"}}");
    }
}
