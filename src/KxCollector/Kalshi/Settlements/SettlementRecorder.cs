using KxCollector.Backfill;
using KxCollector.Kalshi.Markets;
using KxCollector.Recording;
using Microsoft.Extensions.Logging;
using KxCollector.Pricing;
using KxCollector.Records;

namespace KxCollector.Kalshi.Settlements;

/// <summary>
/// Writes one <see cref="SettlementRecord"/> per market, once, to the file of the day the result is seen.
/// Exactly once across restarts: the ticker is noted in the state file as in flight before the line is written and
/// as written after; a crash in between is resolved on start by looking for the line in that day's file.
/// A market that closed while the collector was down (<see cref="Downtime"/>) gets <c>"src":"backfill"</c> at the end
/// of its line: its result is Kalshi's, but its BRTI window was not recorded live.
/// Used from the poll loop only. For a series that does not settle on BRTI (sports) the brti_avg60 and
/// brti_samples keys are left out: our BRTI proxy says nothing about a game.
/// </summary>
internal sealed partial class SettlementRecorder
{
    private readonly IRecordSink _sink;
    private readonly BrtiHistory _history;
    private readonly KalshiStateFile _state;
    private readonly string _directory;
    private readonly string _prefix;
    private readonly ILogger _logger;
    private readonly bool _brti;
    private readonly Downtime? _downtime;
    private readonly KalshiActivity _activity;
    private readonly Index.OfficialSettlementSource? _official;

    public SettlementRecorder(IRecordSink sink, BrtiHistory history, KalshiStateFile state, string directory, string prefix, ILogger logger, bool brti = true, Downtime? downtime = null, KalshiActivity? activity = null, Index.OfficialSettlementSource? official = null)
    {
        _official = official;
        _brti = brti;
        _downtime = downtime;
        _activity = activity ?? new KalshiActivity();
        _sink = sink;
        _history = history;
        _state = state;
        _directory = directory;
        _prefix = prefix;
        _logger = logger;
        ResolveInFlight();
    }

    /// <summary>A result to record: result set, and a settlement value parsed (or the market final without one).</summary>
    public static bool IsReady(KalshiMarket market)
    {
        ArgumentNullException.ThrowIfNull(market);
        return market.HasResult && (market.ExpirationValue is not null || market.IsFinalized);
    }

    public bool IsWritten(string ticker) => _state.Written.ContainsKey(ticker);

    /// <summary>
    /// Records the market's settlement if it has a result and has not been recorded. Returns true when the market
    /// is done with (recorded now or earlier), false when its result is not there yet.
    /// </summary>
    public bool TryRecord(KalshiMarket market, DateTimeOffset now)
    {
        if (!IsReady(market))
        {
            return false;
        }

        if (IsWritten(market.Ticker))
        {
            return true;
        }

        var brti = _brti && market.CloseTime is { } close ? SumWindow(BrtiWindow.BeforeClose(close)) : default;
        if (market.ExpirationValue is null)
        {
            LogNoExpirationValue(_logger, market.Ticker, market.ExpirationValueText ?? "null");
        }

        _state.InFlight[market.Ticker] = now;
        _state.Save();

        var closedWhileDown = market.CloseTime is { } closed && _downtime?.Covers(closed) == true;
        var official = _official is not null && market.CloseTime is { } officialClose ? _official.Compute(officialClose) : (Index.OfficialSettlementFigures?)null;
        _sink.Append(now, Format(market, now, brti, _brti, closedWhileDown, official));
        _sink.FlushToDisk();

        _state.InFlight.Remove(market.Ticker);
        _state.Written[market.Ticker] = market.CloseTime;
        _state.Save();
        _activity.SettlementRecorded(market.Ticker, now);
        LogRecorded(_logger, market.Ticker, market.Result, market.ExpirationValue, brti.Average, brti.Count);
        return true;
    }

    public static byte[] Format(KalshiMarket market, DateTimeOffset now, BrtiSum brti, bool includeBrti = true, bool closedWhileDown = false, Index.OfficialSettlementFigures? official = null)
    {
        ArgumentNullException.ThrowIfNull(market);
        return new SettlementRecord(
            now,
            market.Ticker,
            market.CloseTime,
            market.Result,
            market.ExpirationValue,
            market.FloorStrike,
            includeBrti ? new SettlementProxy(brti.Average, brti.Count) : null,
            official?.ToRecord(),
            closedWhileDown ? RecordSource.Backfill : null).Format();
    }

    private BrtiSum SumWindow(BrtiWindow window) =>
        _history.TrySum(window) ?? DataFileScanner.SumBrti(_directory, _prefix, window);

    /// <summary>A crash between writing a line and noting it leaves the ticker in flight: the day's file says which it was.</summary>
    private void ResolveInFlight()
    {
        if (_state.InFlight.Count == 0)
        {
            return;
        }

        foreach (var (ticker, ts) in _state.InFlight.ToArray())
        {
            var date = DateOnly.FromDateTime(ts.UtcDateTime);
            var written = DataFileScanner.ContainsSettlement(Path.Combine(_directory, DayFileName.Of(_prefix, date)), ticker);
            if (written)
            {
                _state.Written[ticker] = null;
            }

            _state.InFlight.Remove(ticker);
            LogInFlightResolved(_logger, ticker, written);
        }

        _state.Save();
    }

    [LoggerMessage(EventId = 460, Level = LogLevel.Information,
        Message = "Settlement {Ticker}: result {Result}, expiration value {ExpirationValue}, our BRTI proxy average {BrtiAverage} from {Samples} samples")]
    private static partial void LogRecorded(ILogger logger, string ticker, string result, decimal? expirationValue, decimal? brtiAverage, int samples);

    [LoggerMessage(EventId = 461, Level = LogLevel.Warning, Message = "Settlement {Ticker}: expiration_value '{Text}' is not a number; recorded as null")]
    private static partial void LogNoExpirationValue(ILogger logger, string ticker, string text);

    [LoggerMessage(EventId = 462, Level = LogLevel.Warning,
        Message = "Settlement {Ticker} was being written when the collector stopped; found in the data file: {Written} (written again if not)")]
    private static partial void LogInFlightResolved(ILogger logger, string ticker, bool written);
}
