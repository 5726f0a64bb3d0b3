using System.Buffers;

namespace KxCollector.Configuration;

/// <summary>
/// The shape of the names settings carry (series tickers, index ids, collector ids): one character of a first set,
/// then up to 63 of a second. A loop over <see cref="SearchValues{T}"/> rather than a regex: these checks run at
/// every start-up, and System.Text.RegularExpressions would otherwise be mapped into the daemon for them alone
/// (0.6 MB of its idle private memory, issue 15).
/// </summary>
internal static class NameSyntax
{
    public const int MaxLength = 64;

    /// <summary>Kalshi series tickers and ticker prefixes: KXBTC15M, KXNBA-2H, KX.X_Y.</summary>
    public static readonly SearchValues<char> TickerFirst = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    public static readonly SearchValues<char> TickerRest = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    /// <summary>Kalshi index ids: BRTI, CF_ETH_USD.</summary>
    public static readonly SearchValues<char> IndexIdRest = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    /// <summary>Collector ids: a host name, or anything like host:1 or me@box.</summary>
    public static readonly SearchValues<char> CollectorIdFirst = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    public static readonly SearchValues<char> CollectorIdRest = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:@-");

    /// <summary>True for 1 to <see cref="MaxLength"/> characters: the first from <paramref name="first"/>, the rest from <paramref name="rest"/>.</summary>
    public static bool Matches(string? text, SearchValues<char> first, SearchValues<char> rest) =>
        text is { Length: > 0 and <= MaxLength } && first.Contains(text[0]) && !text.AsSpan(1).ContainsAnyExcept(rest);

    public static bool IsTicker(string? text) => Matches(text, TickerFirst, TickerRest);

    public static bool IsIndexId(string? text) => Matches(text, TickerFirst, IndexIdRest);

    public static bool IsCollectorId(string? text) => Matches(text, CollectorIdFirst, CollectorIdRest);
}
