using KxCollector.Recording;
using KxCollector.Tests.Support;

namespace KxCollector.Tests.Recording;

public sealed class DayFileNameTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 21);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("KXBTC15M", "kxbtc15m-2026-11-21.jsonl")]
    [InlineData("KXNBA-2H", "kxnba-2h-2026-11-21.jsonl")]
    [InlineData("KXINX.D-25", "kxinx.d-25-2026-11-21.jsonl")]
    public void A_series_day_is_named_by_its_lower_case_ticker_and_UTC_date(string series, string expected)
    {
        DayFileName.Of(DayFileName.PrefixOf(series), Day).Should().Be(expected);
    }

    [Fact]
    public void A_backfill_day_is_named_by_prefix_kind_and_date_in_the_series_folder()
    {
        DayFileName.OfBackfill("kxbtc15m", "candles-1m", Day).Should().Be("kxbtc15m-candles-1m-2026-11-21.jsonl");
        DayFileName.BackfillDirectoryOf("/data", "kxbtc15m").Should().Be(Path.Combine("/data", "backfill", "KXBTC15M"));
    }

    [Theory]
    [InlineData("kxbtc15m", false)]
    [InlineData("kxnba-2h", false)]
    [InlineData("kxnba-2h", true)]
    [InlineData("kxbtc15m-candles-1h", true)]
    public void A_built_name_parses_back_to_the_same_stem_date_and_compression(string stem, bool compressed)
    {
        var name = new DayFileName(stem, Day, compressed);

        DayFileName.TryParse(Path.Combine("/data", name.Name), out var parsed).Should().BeTrue();

        parsed.Should().Be(name);
        parsed.Name.Should().Be(DayFileName.Of(stem, Day) + (compressed ? ".gz" : string.Empty));
    }

    [Fact]
    public void A_stem_that_itself_ends_in_a_date_keeps_it_and_the_last_date_is_the_day()
    {
        DayFileName.TryParse("kxbtc15m-2026-01-01-2026-11-21.jsonl", out var parsed).Should().BeTrue();

        parsed.Should().Be(new DayFileName("kxbtc15m-2026-01-01", Day, false));
        DayFileName.SeriesOf("/data/kxbtc15m-2026-01-01-2026-11-21.jsonl.gz").Should().Be("KXBTC15M-2026-01-01");
        DayFileName.SeriesOf("/data/renamed.jsonl.gz").Should().Be("RENAMED", "an undated name imports under its name");
        DayFileName.SeriesOf("/data/kx-renamed-abcd-ef-gh.jsonl").Should().Be("KX-RENAMED-ABCD-EF-GH", "only digits make a date");
    }

    [Fact]
    public void The_series_of_a_dated_name_is_its_stem_upper_case_dashes_and_digits_included()
    {
        DayFileName.TryParse("kxnba-2h-2026-11-21.jsonl.gz", out var parsed).Should().BeTrue();

        parsed.Series.Should().Be("KXNBA-2H");
        parsed.Date.Should().Be(Day);
        parsed.Compressed.Should().BeTrue();
    }

    [Theory]
    [InlineData(".kxbtc15m-2026-11-21.jsonl.gz.partial")]
    [InlineData("kxbtc15m-2026-11-21.jsonl.tmp")]
    [InlineData("kxbtc15m-2026-11-21.json")]
    [InlineData("kxbtc15m.jsonl")]
    [InlineData("kxbtc15m-2026-13-40.jsonl")]
    [InlineData("-2026-11-21.jsonl")]
    [InlineData(".kxcollector-kalshi-kxbtc15m.json")]
    [InlineData("status.json")]
    [InlineData("kxbtc15m-2026-11-21.jsonl\n")]
    [InlineData("kx\nbtc-2026-11-21.jsonl")]
    [InlineData("kxbtc15m-2026-11-21.jsonl.GZ")]
    [InlineData("kxbtc15m-2026-1-021.jsonl")]
    [InlineData("kxbtc15m_2026-11-21.jsonl")]
    public void Names_that_are_not_a_dated_data_file_do_not_parse(string name)
    {
        DayFileName.TryParse(name, out _).Should().BeFalse();
        DayFileName.DayOf(name).Should().BeNull();
    }

    [Theory]
    [InlineData("kxbtc15m-2026-11-21.jsonl", true)]
    [InlineData("kxbtc-2026-11-21.jsonl", false)]
    [InlineData("kxbtc15m-trades-2026-11-21.jsonl", false)]
    [InlineData("xkxbtc15m-2026-11-21.jsonl", false)]
    [InlineData("kxbtc15m-2026-11-21.jsonl.gz", true)]
    public void Parsing_for_a_stem_takes_only_that_stems_files_not_one_whose_name_starts_the_same(string name, bool isIt)
    {
        DayFileName.TryParse(name, "kxbtc15m", out var parsed).Should().Be(isIt);
        if (isIt)
        {
            parsed.Stem.Should().Be("kxbtc15m");
        }
    }

    [Theory]
    [InlineData("kxbtc15m-2026-11-21.jsonl", "KXBTC15M")]
    [InlineData("backfill/KXBTC15M/kxbtc15m-trades-2026-11-21.jsonl.gz", "KXBTC15M-TRADES")]
    [InlineData("renamed.jsonl.gz", "RENAMED")]
    [InlineData("renamed.jsonl", "RENAMED")]
    public void The_series_of_any_imported_file_is_its_stem_or_its_name_without_extensions(string path, string series)
    {
        DayFileName.SeriesOf(path).Should().Be(series);
    }

    [Theory]
    [InlineData("a-2026-11-21.jsonl", true)]
    [InlineData("a-2026-11-21.jsonl.gz", true)]
    [InlineData(".a-2026-11-21.jsonl.gz.partial", false)]
    [InlineData("a-2026-11-21.jsonl.tmp", false)]
    [InlineData("a.JSONL", false)]
    public void Data_files_are_plain_or_gz_jsonl_and_nothing_else(string name, bool isData)
    {
        DayFileName.IsDataFile(name).Should().Be(isData);
    }

    [Fact]
    public void The_paths_of_compression_stand_beside_the_plain_file_and_lead_back_to_it()
    {
        var plain = Path.Combine("/data", "kxbtc15m-2026-11-21.jsonl");

        DayFileName.CompressedPathOf(plain).Should().Be(plain + ".gz");
        DayFileName.PlainPathOf(DayFileName.CompressedPathOf(plain)).Should().Be(plain);
        DayFileName.PlainPathOf(plain).Should().Be(plain);
        DayFileName.PartialPathOf(plain).Should().Be(Path.Combine("/data", ".kxbtc15m-2026-11-21.jsonl.gz.partial"));
        DayFileName.IsDataFile(DayFileName.PartialPathOf(plain)).Should().BeFalse();
    }

    [Fact]
    public void The_globs_find_a_stems_files_and_the_partials_but_not_another_stems()
    {
        foreach (var name in new[]
                 {
                     "kxbtc15m-2026-11-20.jsonl.gz", "kxbtc15m-2026-11-21.jsonl", "kxbtc-2026-11-21.jsonl",
                     ".kxbtc15m-2026-11-20.jsonl.gz.partial", "kxbtc15m-2026-11-21.jsonl.tmp",
                 })
        {
            File.WriteAllText(_dir.Combine(name), string.Empty);
        }

        Names(DayFiles.List(_dir.Path, DayFileName.GlobOf("kxbtc15m")))
            .Should().Equal("kxbtc15m-2026-11-20.jsonl.gz", "kxbtc15m-2026-11-21.jsonl");
        Names(DayFiles.List(_dir.Path, DayFileName.GlobOf("kxbtc")))
            .Should().Equal("kxbtc-2026-11-21.jsonl");
        Names(Directory.EnumerateFiles(_dir.Path, DayFileName.PlainGlob)).Order(StringComparer.Ordinal)
            .Should().Equal("kxbtc-2026-11-21.jsonl", "kxbtc15m-2026-11-21.jsonl");
        Names(Directory.EnumerateFiles(_dir.Path, DayFileName.CompressedGlob))
            .Should().Equal("kxbtc15m-2026-11-20.jsonl.gz");
        Names(Directory.EnumerateFiles(_dir.Path, DayFileName.PartialGlob))
            .Should().Equal(".kxbtc15m-2026-11-20.jsonl.gz.partial");
    }

    [Fact]
    public void A_day_with_both_files_is_listed_once_by_its_plain_file()
    {
        File.WriteAllText(_dir.Combine("kxbtc15m-2026-11-21.jsonl"), string.Empty);
        File.WriteAllText(_dir.Combine("kxbtc15m-2026-11-21.jsonl.gz"), string.Empty);

        Names(DayFiles.List(_dir.Path, DayFileName.GlobOf("kxbtc15m"))).Should().Equal("kxbtc15m-2026-11-21.jsonl");
    }

    private static IEnumerable<string> Names(IEnumerable<string> paths) => paths.Select(p => Path.GetFileName(p)!);
}
