using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Breachline.Tests.Containment;

/// <summary>One request the fake org received.</summary>
public sealed record SeenRequest(string Method, string Path, string Query, string? Authorization, string Body, string Host);

/// <summary>A fault to answer instead of the real thing, for the next <see cref="Times"/> matching requests.</summary>
public sealed class Fault(string method, string pathContains, int status, int times, string? retryAfter = null)
{
    public string Method { get; } = method;

    public string PathContains { get; } = pathContains;

    public int Status { get; } = status;

    public int Times { get; set; } = times;

    public string? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// A Salesforce-compatible org on 127.0.0.1 (Kestrel, port chosen by the OS) implementing the REST subset
/// containment uses, with state: OauthToken, UserLogin, User and AuthSession rows; SOQL of the shape
/// <c>SELECT f, … FROM Object WHERE Field = 'value'</c> with paging; PATCH and DELETE of sobjects; the OAuth
/// revoke and JWT token endpoints; and injectable 401/403/404/429/500 faults.
/// </summary>
public sealed partial class FakeSalesforce : IAsyncDisposable
{
    public const string ApiVersion = "64.0";

    private readonly WebApplication _app;
    private readonly object _lock = new();
    private int _writes;

    private FakeSalesforce(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public HashSet<string> ValidTokens { get; } = ["00D000000000001!good-access-token"];

    public HashSet<string> ExpiredTokens { get; } = [];

    public List<JsonObject> OauthTokens { get; } = [];

    public Dictionary<string, JsonObject> UserLogins { get; } = [];

    public Dictionary<string, JsonObject> Users { get; } = [];

    public Dictionary<string, JsonObject> Sessions { get; } = [];

    public List<Fault> Faults { get; } = [];

    public ConcurrentQueue<SeenRequest> Seen { get; } = new();

    public List<DateTimeOffset> SeenTimes { get; } = [];

    /// <summary>Called after each successful write with the count of writes so far (a test cancels here to simulate a crash).</summary>
    public Action<int>? AfterWrite { get; set; }

    /// <summary>Called as each request arrives, before it is answered (a test changes state here).</summary>
    public Action<string, string>? BeforeRequest { get; set; }

    public int PageSize { get; set; } = 500;

    /// <summary>Public key and client id the JWT token endpoint accepts.</summary>
    public RSA? JwtKey { get; set; }

    public string JwtClientId { get; set; } = "3MVG9-test-consumer-key";

    public string JwtAudience { get; set; } = "https://login.salesforce.com";

    public static async Task<FakeSalesforce> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeSalesforce(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return server;
    }

    /// <summary>An org with one compromised app holding tokens of the attacker user and of a responder.</summary>
    public void SeedIncident(string app, string attackerId, string responderId, int attackerTokens = 3)
    {
        lock (_lock)
        {
            for (var i = 0; i < attackerTokens; i++)
            {
                OauthTokens.Add(Row("OauthToken", null, ("AppName", app), ("UserId", attackerId), ("UseCount", 10 + i), ("DeleteToken", $"DEL{i}secretdeletetoken{attackerId}")));
            }

            OauthTokens.Add(Row("OauthToken", null, ("AppName", app), ("UserId", responderId), ("UseCount", 1), ("DeleteToken", $"DELresponder-token-keep{responderId}")));
            OauthTokens.Add(Row("OauthToken", null, ("AppName", "Unrelated App"), ("UserId", attackerId), ("UseCount", 2), ("DeleteToken", "DELunrelated-app-token")));
            UserLogins["060000000000001AAA"] = Row("UserLogin", "060000000000001AAA", ("UserId", attackerId), ("IsFrozen", false), ("IsPasswordLocked", false));
            UserLogins["060000000000002AAA"] = Row("UserLogin", "060000000000002AAA", ("UserId", responderId), ("IsFrozen", false), ("IsPasswordLocked", false));
            Users[attackerId] = Row("User", attackerId, ("Username", "integration.sync@lakeshore.edu"), ("IsActive", true));
            Users[responderId] = Row("User", responderId, ("Username", "secops.admin@lakeshore.edu"), ("IsActive", true));
            Sessions["0Ak000000000001AAA"] = Row("AuthSession", "0Ak000000000001AAA", ("UsersId", attackerId), ("SessionType", "Oauth2"), ("SourceIp", "185.220.101.33"));
            Sessions["0Ak000000000002AAA"] = Row("AuthSession", "0Ak000000000002AAA", ("UsersId", attackerId), ("SessionType", "UI"), ("SourceIp", "208.68.36.90"));
            Sessions["0Ak000000000003AAA"] = Row("AuthSession", "0Ak000000000003AAA", ("UsersId", responderId), ("SessionType", "UI"), ("SourceIp", "10.0.0.5"));
        }
    }

    /// <summary>A deep copy of the state, to compare before and after.</summary>
    public string Snapshot()
    {
        lock (_lock)
        {
            return new JsonObject
            {
                ["tokens"] = new JsonArray([.. OauthTokens.Select(t => t.DeepClone())]),
                ["logins"] = new JsonArray([.. UserLogins.Values.Select(t => t.DeepClone())]),
                ["users"] = new JsonArray([.. Users.Values.Select(t => t.DeepClone())]),
                ["sessions"] = new JsonArray([.. Sessions.Values.Select(t => t.DeepClone())]),
            }.ToJsonString();
        }
    }

    public IReadOnlyList<SeenRequest> Writes => [.. Seen.Where(r => r.Method != "GET")];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static JsonObject Row(string type, string? id, params (string Key, object Value)[] fields)
    {
        var row = new JsonObject { ["attributes"] = new JsonObject { ["type"] = type }, ["Id"] = id };
        foreach (var (key, value) in fields)
        {
            row[key] = JsonValue.Create(value);
        }

        return row;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var path = request.Path.Value ?? "";
        Seen.Enqueue(new SeenRequest(request.Method, path, request.QueryString.Value ?? "", request.Headers.Authorization.ToString(), body, request.Host.Value ?? ""));
        lock (_lock)
        {
            SeenTimes.Add(DateTimeOffset.UtcNow);
        }

        BeforeRequest?.Invoke(request.Method, path);
        Fault? fault;
        lock (_lock)
        {
            fault = Faults.FirstOrDefault(f => f.Times > 0 && f.Method == request.Method && path.Contains(f.PathContains, StringComparison.Ordinal));
            if (fault is not null)
            {
                fault.Times--;
            }
        }

        if (fault is not null)
        {
            if (fault.RetryAfter is { } after)
            {
                http.Response.Headers.RetryAfter = after;
            }

            await Error(http, fault.Status, fault.Status switch
            {
                401 => "INVALID_SESSION_ID",
                403 => "INSUFFICIENT_ACCESS",
                404 => "NOT_FOUND",
                429 => "REQUEST_LIMIT_EXCEEDED",
                _ => "UNKNOWN_EXCEPTION",
            }, "injected fault");
            return;
        }

        if (path == "/services/oauth2/token" && request.Method == "POST")
        {
            await TokenAsync(http, body);
            return;
        }

        var auth = request.Headers.Authorization.ToString();
        var bearer = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth[7..] : "";
        if (ExpiredTokens.Contains(bearer) || !ValidTokens.Contains(bearer))
        {
            await Error(http, 401, "INVALID_SESSION_ID", "Session expired or invalid");
            return;
        }

        var api = $"/services/data/v{ApiVersion}";
        if (request.Method == "GET" && path == api + "/query")
        {
            await QueryAsync(http, request.Query["q"].ToString(), 0);
            return;
        }

        if (request.Method == "GET" && path.StartsWith(api + "/query/", StringComparison.Ordinal))
        {
            var locator = path[(api.Length + 7)..].Split('-', 2);
            var soql = Encoding.UTF8.GetString(Convert.FromBase64String(locator[0].Replace('_', '/')));
            await QueryAsync(http, soql, int.Parse(locator[1], CultureInfo.InvariantCulture));
            return;
        }

        if (request.Method == "POST" && path == "/services/oauth2/revoke")
        {
            var token = System.Web.HttpUtility.ParseQueryString(body)["token"];
            bool removed;
            lock (_lock)
            {
                removed = OauthTokens.RemoveAll(t => Text(t["DeleteToken"]) == token) > 0;
            }

            if (!removed)
            {
                http.Response.StatusCode = 400;
                await http.Response.WriteAsJsonAsync(new { error = "invalid_token", error_description = "invalid token" });
                return;
            }

            http.Response.StatusCode = 200;
            Wrote();
            return;
        }

        var sobject = SobjectPath().Match(path);
        if (sobject.Success && sobject.Groups["v"].Value == ApiVersion)
        {
            await SobjectAsync(http, request.Method, sobject.Groups["type"].Value, sobject.Groups["id"].Value, body);
            return;
        }

        await Error(http, 404, "NOT_FOUND", "The requested resource does not exist");
    }

    private async Task SobjectAsync(HttpContext http, string method, string type, string id, string body)
    {
        Dictionary<string, JsonObject>? table = type switch
        {
            "UserLogin" => UserLogins,
            "User" => Users,
            "AuthSession" => Sessions,
            _ => null,
        };
        if (table is null)
        {
            await Error(http, 404, "NOT_FOUND", $"sObject type '{type}' is not supported");
            return;
        }

        lock (_lock)
        {
            if (!table.TryGetValue(id, out var row))
            {
                http.Response.StatusCode = 404;
            }
            else if (method == "DELETE" && type == "AuthSession")
            {
                table.Remove(id);
                http.Response.StatusCode = 204;
            }
            else if (method == "PATCH" && type != "AuthSession")
            {
                foreach (var (key, value) in JsonNode.Parse(body)!.AsObject())
                {
                    row[key] = value?.DeepClone();
                }

                http.Response.StatusCode = 204;
            }
            else
            {
                http.Response.StatusCode = 405;
            }
        }

        if (http.Response.StatusCode == 204)
        {
            Wrote();
            return;
        }

        await Error(http, http.Response.StatusCode, http.Response.StatusCode == 404 ? "NOT_FOUND" : "METHOD_NOT_ALLOWED", $"{method} {type}/{id}");
    }

    private void Wrote()
    {
        var count = Interlocked.Increment(ref _writes);
        AfterWrite?.Invoke(count);
    }

    private async Task QueryAsync(HttpContext http, string soql, int offset)
    {
        var m = Soql().Match(soql);
        if (!m.Success)
        {
            await Error(http, 400, "MALFORMED_QUERY", "unsupported query: " + soql);
            return;
        }

        var fields = m.Groups["fields"].Value.Split(',', StringSplitOptions.TrimEntries);
        var table = m.Groups["object"].Value switch
        {
            "OauthToken" => OauthTokens,
            "UserLogin" => [.. UserLogins.Values],
            "User" => [.. Users.Values],
            "AuthSession" => [.. Sessions.Values],
            var other => (List<JsonObject>?)null,
        };
        if (table is null)
        {
            await Error(http, 400, "INVALID_TYPE", $"sObject type '{m.Groups["object"].Value}' is not supported.");
            return;
        }

        var value = Regex.Unescape(m.Groups["value"].Value);
        List<JsonObject> matching;
        lock (_lock)
        {
            matching = [.. table.Where(r => Text(r[m.Groups["field"].Value]) == value).Select(r => (JsonObject)r.DeepClone())];
        }

        var page = matching.Skip(offset).Take(PageSize).Select(r =>
        {
            var projected = new JsonObject { ["attributes"] = r["attributes"]!.DeepClone() };
            foreach (var f in fields)
            {
                projected[f] = r[f]?.DeepClone();
            }

            return (JsonNode)projected;
        }).ToList();
        var done = offset + PageSize >= matching.Count;
        var result = new JsonObject { ["totalSize"] = matching.Count, ["done"] = done, ["records"] = new JsonArray([.. page]) };
        if (!done)
        {
            var locator = Convert.ToBase64String(Encoding.UTF8.GetBytes(soql)).Replace('/', '_');
            result["nextRecordsUrl"] = $"/services/data/v{ApiVersion}/query/{locator}-{offset + PageSize}";
        }

        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(result.ToJsonString());
    }

    private async Task TokenAsync(HttpContext http, string body)
    {
        var form = System.Web.HttpUtility.ParseQueryString(body);
        var assertion = form["assertion"] ?? "";
        var parts = assertion.Split('.');
        var valid = form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" && parts.Length == 3 && JwtKey is not null
            && JwtKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (valid)
        {
            var claims = JsonNode.Parse(FromBase64Url(parts[1]))!.AsObject();
            var header = JsonNode.Parse(FromBase64Url(parts[0]))!.AsObject();
            valid = Text(header["alg"]) == "RS256" && Text(claims["iss"]) == JwtClientId && Text(claims["aud"]) == JwtAudience
                && claims["exp"]!.GetValue<long>() > DateTimeOffset.UtcNow.ToUnixTimeSeconds() && claims["sub"] is not null;
        }

        if (!valid)
        {
            http.Response.StatusCode = 400;
            await http.Response.WriteAsJsonAsync(new { error = "invalid_grant", error_description = "invalid assertion" });
            return;
        }

        var token = "00D000000000001!jwt-issued-" + Guid.NewGuid().ToString("N");
        lock (_lock)
        {
            ValidTokens.Add(token);
        }

        await http.Response.WriteAsJsonAsync(new { access_token = token, instance_url = Url.ToString().TrimEnd('/'), token_type = "Bearer" });
    }

    public static string? Text(JsonNode? node) =>
        node is null ? null : node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    private static async Task Error(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new[] { new { message, errorCode = code } }));
    }

    [GeneratedRegex(@"^SELECT (?<fields>[\w, ]+) FROM (?<object>\w+) WHERE (?<field>\w+) = '(?<value>(?:[^'\\]|\\.)*)'$", RegexOptions.CultureInvariant)]
    private static partial Regex Soql();

    [GeneratedRegex(@"^/services/data/v(?<v>[0-9.]+)/sobjects/(?<type>\w+)/(?<id>[A-Za-z0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SobjectPath();
}
