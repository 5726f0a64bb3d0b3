using System.Text.Json;
using KxCollector.Records;

namespace KxCollector.Verification;

/// <summary>
/// The <c>game</c> lines of one file: how many, of how many games, and the stretches of a live game (between its first
/// and last line in the file) with no game line for longer than three game poll intervals. A line is written only
/// when a game's live data changed, so a stretch is where to look (the collector was down, or Kalshi's live data did
/// not move: a timeout, half-time), not a fault by itself: it is reported, and does not fail the file.
/// </summary>
internal sealed class GameLineCheck
{
    private readonly Dictionary<string, List<DateTimeOffset>> _byGame = new(StringComparer.Ordinal);
    private readonly TimeSpan _limit;

    public GameLineCheck(TimeSpan pollInterval) => _limit = pollInterval * 3;

    /// <summary>Counts one game line; false when it lacks its milestone id or time.</summary>
    public bool Add(JsonElement root)
    {
        string id;
        DateTimeOffset at;
        try
        {
            var game = RecordReader.Open(root, GameRecord.Type);
            id = game.RequiredString(GameRecord.MilestoneIdKey);
            at = game.RequiredTime(RecordJson.Ts);
        }
        catch (FormatException)
        {
            return false;
        }

        if (!_byGame.TryGetValue(id, out var times))
        {
            times = [];
            _byGame[id] = times;
        }

        times.Add(at);
        return true;
    }

    public void Summarise(FileReport report)
    {
        report.GameLines = _byGame.Values.Sum(t => t.Count);
        report.Games = _byGame.Count;
        var silences = new List<GameSilence>();
        foreach (var (game, times) in _byGame)
        {
            times.Sort();
            for (var i = 1; i < times.Count; i++)
            {
                if (times[i] - times[i - 1] > _limit)
                {
                    silences.Add(new GameSilence(game, times[i - 1], times[i], (long)(times[i] - times[i - 1]).TotalSeconds));
                }
            }
        }

        report.GameSilenceCount = silences.Count;
        report.LongestGameSilences.AddRange(silences.OrderByDescending(s => s.Seconds).ThenBy(s => s.From).Take(DataFileVerifier.MaxListedGaps));
    }
}

/// <summary>A live game's stretch without a game line, between two of its lines.</summary>
internal sealed record GameSilence(string MilestoneId, DateTimeOffset From, DateTimeOffset To, long Seconds);
