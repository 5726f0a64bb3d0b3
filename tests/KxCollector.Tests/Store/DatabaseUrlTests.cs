using KxCollector.Configuration;
using KxCollector.Store;
using Npgsql;

namespace KxCollector.Tests.Store;

public sealed class DatabaseUrlTests
{
    [Fact]
    public void A_Supabase_pooler_URI_gives_host_port_user_database_and_sslmode()
    {
        var target = DatabaseUrl.Parse("postgresql://postgres.abcdefgh:hunter2@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require");

        target.Host.Should().Be("aws-0-eu-central-1.pooler.supabase.com");
        target.Port.Should().Be(6543);
        target.Username.Should().Be("postgres.abcdefgh");
        target.Database.Should().Be("postgres");
        target.Settings.Password.Should().Be("hunter2");
        target.Settings.SslMode.Should().Be(SslMode.Require);
        target.Description.Should().Be("aws-0-eu-central-1.pooler.supabase.com:6543/postgres as postgres.abcdefgh").And.NotContain("hunter2");
    }

    [Fact]
    public void A_password_with_unescaped_slash_question_mark_hash_and_at_sign_is_read_whole()
    {
        var target = DatabaseUrl.Parse("postgres://kx:p/a?s#s@w:rd@db.example.com:5432/market");

        target.Settings.Password.Should().Be("p/a?s#s@w:rd");
        target.Host.Should().Be("db.example.com");
        target.Database.Should().Be("market");
    }

    [Fact]
    public void Percent_escapes_in_user_password_and_database_are_decoded()
    {
        var target = DatabaseUrl.Parse("postgres://k%40x:p%2Fw%3F%23@127.0.0.1/my%20db");

        target.Username.Should().Be("k@x");
        target.Settings.Password.Should().Be("p/w?#");
        target.Database.Should().Be("my db");
        target.Port.Should().Be(5432, "the port is optional");
    }

    [Fact]
    public void An_IPv6_host_and_the_known_parameters_are_read()
    {
        var target = DatabaseUrl.Parse("postgres://kx:pw@[::1]:6000/db?sslmode=verify-full&connect_timeout=7&application_name=box1&pgbouncer=true");

        target.Host.Should().Be("::1");
        target.Port.Should().Be(6000);
        target.Settings.SslMode.Should().Be(SslMode.VerifyFull);
        target.Settings.Timeout.Should().Be(7);
        target.Settings.ApplicationName.Should().Be("box1");
    }

    [Fact]
    public void An_Npgsql_connection_string_is_accepted_as_it_is()
    {
        var target = DatabaseUrl.Parse("Host=10.0.0.5;Port=5433;Username=kx;Password=pw;Database=data;SSL Mode=Require");

        target.Host.Should().Be("10.0.0.5");
        target.Port.Should().Be(5433);
        target.Database.Should().Be("data");
        target.Settings.SslMode.Should().Be(SslMode.Require);
    }

    [Theory]
    [InlineData("postgres://kx:pw@host/db")]
    [InlineData("Host=h;Username=kx;Password=pw;Max Auto Prepare=20;No Reset On Close=false")]
    public void Every_connection_is_safe_behind_a_transaction_pooler_whatever_the_string_says(string url)
    {
        var settings = DatabaseUrl.Parse(url).Settings;

        settings.MaxAutoPrepare.Should().Be(0, "a transaction pooler cannot keep server-side prepared statements");
        settings.NoResetOnClose.Should().BeTrue();
        settings.ApplicationName.Should().Be("kxcollector");
        settings.MaxPoolSize.Should().Be(DatabaseUrl.DefaultMaxPoolSize);
        settings.CommandTimeout.Should().Be(DatabaseUrl.DefaultCommandTimeoutSeconds);
    }

    [Fact]
    public void Settings_given_in_a_connection_string_are_kept()
    {
        var settings = DatabaseUrl.Parse("Host=h;Username=kx;Password=pw;Command Timeout=9;Maximum Pool Size=2;Application Name=mine").Settings;

        settings.CommandTimeout.Should().Be(9);
        settings.MaxPoolSize.Should().Be(2);
        settings.ApplicationName.Should().Be("mine");
    }

    [Theory]
    [InlineData("postgres://kx:Zq9-secret@host:notaport/db", "the port is not a number")]
    [InlineData("postgres://kx:Zq9-secret@host:70000/db", "the port is not a number")]
    [InlineData("postgres://kx:Zq9-secret@:5432/db", "no host given")]
    [InlineData("postgres://kx:Zq9-secret@/db", "no host given")]
    [InlineData("postgres://kx:Zq9-secret@host/db?sslmode=sometimes", "sslmode='sometimes' is not valid")]
    [InlineData("postgres://kx:Zq9-secret@host/db?poolsize=9", "unknown parameter 'poolsize'")]
    [InlineData("postgres://kx:Zq9-secret@[::1/db", "the IPv6 host lacks its closing ']'")]
    [InlineData("Host=h;Username=kx;Password=Zq9-secret;Flavour=mint", "not a valid Npgsql connection string")]
    [InlineData("Host=h;Username=kx;Password=Zq9-secret;Port=abc", "not a valid Npgsql connection string")]
    [InlineData("Username=kx;Password=Zq9-secret", "no host given")]
    [InlineData("db.example.com", "neither a postgres:// URL nor an Npgsql connection string")]
    public void A_bad_DATABASE_URL_is_an_error_naming_the_key_and_the_problem_never_the_password(string url, string problem)
    {
        var act = () => DatabaseUrl.Parse(url);

        var error = act.Should().Throw<ConfigurationException>().Which;
        error.Key.Should().Be("DATABASE_URL");
        error.Message.Should().StartWith("DATABASE_URL: ").And.Contain(problem).And.NotContain("Zq9-secret");
    }

    [Fact]
    public void Redact_hides_the_password_wherever_a_message_repeats_it()
    {
        var target = DatabaseUrl.Parse("postgres://kx:Zq9-secret@host/db");

        target.Redact("failed for kx with Zq9-secret at host").Should().Be("failed for kx with *** at host");
    }
}
