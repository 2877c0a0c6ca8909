using Breachline.Common;
using Breachline.Forensics;

namespace Breachline.Tests.Forensics;

public sealed class IndicatorTests
{
    private static readonly string Org = Fixtures.Path("hunt", "org");

    [Fact]
    public void An_indicator_file_in_YAML_lists_addresses_ranges_users_apps_sessions_and_agents()
    {
        using var dir = new TempDir();
        var path = dir.Combine("iocs.yaml");
        File.WriteAllText(path, "ips: [185.220.101.0/24, 208.68.36.90]\nusers: [0058X000001ChaT]\nconnectedApps: [Campus_Chat]\nsessions: [LK00000000000043]\nuserAgents: [Salesforce-Multi-Org-Fetcher]\n");

        var indicators = Indicators.Load(path);

        Assert.Equal(6, indicators.Describe().Count);
        Assert.Equal("ip 185.220.101.33", indicators.Match(new LogEvent { EventType = "RestApi", Ip = "185.220.101.33" }));
        Assert.Equal("user 0058X000001ChaTQAS", indicators.Match(new LogEvent { EventType = "RestApi", UserId = "0058X000001ChaTQAS" }));
        Assert.Null(indicators.Match(new LogEvent { EventType = "RestApi", Ip = "185.220.102.33", UserAgent = "Mozilla/5.0" }));
    }

    [Fact]
    public void A_STIX_bundle_gives_its_indicator_patterns_and_observables()
    {
        using var dir = new TempDir();
        var path = dir.Combine("bundle.json");
        File.WriteAllText(path, """
            {"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
              {"type":"indicator","spec_version":"2.1","id":"indicator--1","pattern_type":"stix","valid_from":"2025-08-26T00:00:00Z",
               "pattern":"[ipv4-addr:value = '208.68.36.90'] OR [ipv4-addr:value = '44.215.108.109']"},
              {"type":"indicator","spec_version":"2.1","id":"indicator--2","pattern_type":"stix","valid_from":"2025-08-26T00:00:00Z",
               "pattern":"[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'Salesforce-Multi-Org-Fetcher/1.0']"},
              {"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--3","value":"185.220.101.0/24"},
              {"type":"user-account","spec_version":"2.1","id":"user-account--4","account_login":"chat.integration@lake.edu"}
            ]}
            """);

        var indicators = Indicators.Load(path);

        Assert.Equal(["ip 208.68.36.90", "ip 44.215.108.109", "cidr 185.220.101.0/24", "user chat.integration@lake.edu", "user-agent Salesforce-Multi-Org-Fetcher/1.0"], indicators.Describe());
    }

    [Fact]
    public void A_file_without_indicators_is_an_input_error_naming_the_file()
    {
        using var dir = new TempDir();
        var path = dir.Combine("empty.yaml");
        File.WriteAllText(path, "ips: []\n");

        var error = Assert.Throws<InputException>(() => Indicators.Load(path));
        Assert.Equal(path, error.Problems[0].File);
    }

    [Fact]
    public void The_IOC_hunt_returns_matching_events_their_sessions_and_every_event_of_those_sessions()
    {
        var indicators = new Indicators();
        indicators.AddIp("185.220.101.0/24");

        var hunt = HuntEngine.Run(Org, new HuntOptions { Indicators = indicators, Threads = 2 });

        var ioc = hunt.Ioc!;
        Assert.Equal(["LK00000000000043"], ioc.Sessions);
        Assert.True(ioc.MatchingEvents >= 9, $"{ioc.MatchingEvents} matching events");
        Assert.True(ioc.SessionEvents >= ioc.MatchingEvents);
        // The UniqueQuery rows carry no address: they come in through their session.
        Assert.Contains(hunt.Timeline, t => t.EventType == "UniqueQuery" && t.Session == "LK00000000000043");
        Assert.All(ioc.Matches, m => Assert.Equal("185.220.101.33", m.Ip));
        Assert.Contains("185.220.101.33", hunt.Suspects.Ips);
    }

    [Fact]
    public void Addresses_remembered_across_rows_still_match_only_the_listed_ones()
    {
        var indicators = new Indicators();
        indicators.AddIp("185.220.101.0/24");
        indicators.AddIp("208.68.36.90");
        var recent = default(LastTwo<bool>);
        var rows = new[] { "185.220.101.33", "10.1.1.1", "185.220.101.33", "10.1.1.1", "208.68.36.90", "10.1.1.2", "185.220.101.33" };

        var matches = rows.Select(ip => indicators.Match(new LogEvent { Ip = ip }, ref recent)).ToList();

        Assert.Equal(["ip 185.220.101.33", null, "ip 185.220.101.33", null, "ip 208.68.36.90", null, "ip 185.220.101.33"], matches);
    }
}
