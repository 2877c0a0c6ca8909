using Breachline.Forensics;
using NodaTime;

namespace Breachline.Tests.Forensics;

public sealed class LogReaderTests
{
    private static (List<LogEvent> Events, FileProblems Problems) Read(string name, LogFileKind kind = LogFileKind.Csv)
    {
        var path = Fixtures.Path("hunt", "readers", name);
        var file = new LogFile(path, "logs/" + name, kind, new FileInfo(path).Length);
        var problems = new FileProblems(file.RelativePath);
        var events = (kind == LogFileKind.Csv ? EventLogCsvReader.Read(file, 0, problems) : JsonLogReader.Read(file, 0, problems)).ToList();
        return (events, problems);
    }

    [Fact]
    public void Columns_are_read_by_header_name_in_any_order_with_extra_and_missing_columns()
    {
        var (events, problems) = Read("RestApi-shuffled.csv");

        Assert.Equal(0, problems.Count);
        Assert.Equal(4, events.Count);
        var first = events[0];
        Assert.Equal("RestApi", first.EventType);
        Assert.Equal("203.0.113.7", first.Ip);
        Assert.Equal("Contact", first.Entity);
        Assert.Equal(12, first.Rows);
        Assert.Equal("LK1", first.LoginKey);
        Assert.Equal("SELECT Id FROM Contact", first.Soql);
        Assert.Equal(2, first.Line);
        Assert.Equal(1000364, events[2].Rows);
    }

    [Fact]
    public void Timestamps_with_zero_to_three_fraction_digits_are_read_as_UTC()
    {
        var (events, _) = Read("RestApi-shuffled.csv");

        var start = Instant.FromUtc(2026, 3, 13, 1, 52, 14);
        Assert.Equal([start, start.PlusTicks(1_000_000), start.PlusTicks(1_200_000), start.PlusTicks(1_230_000)], events.Select(e => e.Time));
    }

    [Theory]
    [InlineData("2026031301521")]
    [InlineData("20260313015214.1234")]
    [InlineData("20260230015214")]
    [InlineData("20260313245214")]
    [InlineData("2026-03-13T01:52:14Z")]
    public void Timestamps_that_are_not_ELF_timestamps_are_refused(string text) =>
        Assert.False(LogTime.TryParseElf(text, out _));

    [Fact]
    public void Fifteen_character_ids_gain_their_checksum_and_eighteen_character_ids_are_kept()
    {
        // Pairs from real Event Monitoring rows (USER_ID next to USER_ID_DERIVED).
        Assert.Equal("0055j00000AT6I1AAL", SalesforceId.Normalize("0055j00000AT6I1"));
        Assert.Equal("0055j000000utlPAAQ", SalesforceId.Normalize("0055j000000utlP"));
        Assert.Equal("0055j000000utlPAAQ", SalesforceId.Normalize("0055j000000utlPaaq"));
        Assert.Equal("not-an-id", SalesforceId.Normalize("not-an-id"));

        var (events, _) = Read("RestApi-shuffled.csv");
        Assert.Equal("0055j00000AT6I1AAL", events[0].UserId);
        Assert.Equal(events[1].UserId, events[2].UserId);
    }

    [Fact]
    public void A_login_through_Salesforce_com_IP_is_attributed_to_its_source_ip()
    {
        var (events, problems) = Read("Login-spaced.csv");

        Assert.Equal(0, problems.Count);
        var login = Assert.Single(events);
        Assert.Equal("103.108.207.58", login.Ip);
        Assert.Equal("Go-http-client/1.1", login.UserAgent);
        Assert.Equal("bY5Wfv8t/Ith7WVE", login.LoginKey);
        Assert.True(HuntAccumulator.IsTokenLogin(login));
    }

    [Fact]
    public void Malformed_rows_are_counted_and_reported_with_their_lines_and_good_rows_still_read()
    {
        var (events, problems) = Read("RestApi-malformed.csv");

        Assert.True(problems.Count == 4, string.Join("\n", problems.Listed));
        Assert.Equal([2, 5, 7], events.Select(e => e.Line));
        var byLine = problems.Listed.ToDictionary(p => p.Line!.Value, p => p.Message);
        Assert.Contains("wrong column count", byLine[3], StringComparison.Ordinal);
        Assert.Contains("bad timestamp", byLine[4], StringComparison.Ordinal);
        Assert.Contains("invalid UTF-8", byLine[6], StringComparison.Ordinal);
        Assert.Contains("unbalanced quotes", byLine[8], StringComparison.Ordinal);
        Assert.All(problems.Listed, p => Assert.Equal("logs/RestApi-malformed.csv", p.File));
    }

    [Fact]
    public void A_truncated_last_line_is_reported_as_such()
    {
        var (events, problems) = Read("RestApi-truncated.csv");

        Assert.Single(events);
        var problem = Assert.Single(problems.Listed);
        Assert.Equal(3, problem.Line);
        Assert.Contains("truncated last line", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateway_json_lines_are_read_and_broken_lines_reported_with_their_numbers()
    {
        var (events, problems) = Read("gateway-broken.jsonl", LogFileKind.GatewayJsonLines);

        Assert.Equal([1, 4], events.Select(e => e.Line));
        Assert.All(events, e => Assert.Equal("Gateway", e.EventType));
        Assert.Equal("91.92.241.103", events[0].Ip);
        Assert.Equal("/.env", events[0].Uri);
        Assert.Equal("Nuclei", events[0].UserAgent);
        Assert.Equal([2, 3], problems.Listed.Select(p => p.Line!.Value));
    }

    [Fact]
    public void Real_time_records_of_a_SOQL_query_result_carry_their_type_and_line()
    {
        var path = Fixtures.Path("hunt", "org", "logs", "ApiEvent.json");
        var file = new LogFile(path, "logs/ApiEvent.json", LogFileKind.RealTimeJson, new FileInfo(path).Length);
        var problems = new FileProblems(file.RelativePath);

        var events = JsonLogReader.Read(file, 0, problems).ToList();

        Assert.Equal(0, problems.Count);
        Assert.Equal(2, events.Count);
        var secret = events[1];
        Assert.Equal("ApiEvent", secret.EventType);
        Assert.Equal(LogSourceKind.RealTime, secret.Source);
        Assert.Equal(3, secret.Rows);
        Assert.Equal("Case", secret.Entity);
        Assert.Equal("0058X000001ChaTQAS", secret.UserId);
        Assert.Equal("0H48X000000CHATSA4", secret.AppId);
        Assert.StartsWith("SELECT Id, Subject", secret.Soql, StringComparison.Ordinal);
        Assert.True(secret.Line > events[0].Line);
        Assert.Equal("{", File.ReadLines(path).Skip(secret.Line - 1).First().Trim());
    }

    [Fact]
    public void A_SetupAuditTrail_export_is_told_apart_by_its_header()
    {
        var path = Fixtures.Path("hunt", "org", "logs", "SetupAuditTrail.csv");
        var file = new LogFile(path, "logs/SetupAuditTrail.csv", LogFileKind.Csv, new FileInfo(path).Length);
        var problems = new FileProblems(file.RelativePath);

        var events = EventLogCsvReader.Read(file, 0, problems).ToList();

        Assert.Equal(0, problems.Count);
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(LogSourceKind.SetupAuditTrail, e.Source));
        Assert.Equal("connectedAppOauthPolicyChange", events[1].Action);
        Assert.Equal("Connected Apps", events[1].Section);
        Assert.Equal(Instant.FromUtc(2026, 3, 12, 21, 5, 31), events[1].Time);
    }

    [Fact]
    public void A_REST_query_URI_gives_its_SOQL_decoded_once_per_distinct_URI()
    {
        using var dir = new TempDir();
        var path = dir.Combine("RestApi.csv");
        File.WriteAllText(path, """
            "EVENT_TYPE","TIMESTAMP","USER_ID","CLIENT_IP","URI"
            "RestApi","20260301120000.000","0058X000002StfA","10.1.1.1","/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Contact+WHERE+Name+LIKE+%27A%25%27"
            "RestApi","20260301120001.000","0058X000002StfA","10.1.1.1","/services/data/v62.0/limits"
            "RestApi","20260301120002.000","0058X000002StfA","10.1.1.1","/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Contact+WHERE+Name+LIKE+%27A%25%27"
            """);
        var file = new LogFile(path, "logs/RestApi.csv", LogFileKind.Csv, new FileInfo(path).Length);
        var problems = new FileProblems(file.RelativePath);

        var events = EventLogCsvReader.Read(file, 0, problems).ToList();

        Assert.Equal(0, problems.Count);
        Assert.Equal("SELECT Id,Name FROM Contact WHERE Name LIKE 'A%'", events[0].Soql);
        Assert.Null(events[1].Soql);
        Assert.Same(events[0].Soql, events[2].Soql);
    }
}
