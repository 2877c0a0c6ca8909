using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Breachline.Containment.Api;

/// <summary>How to reach one Salesforce org.</summary>
public sealed record SalesforceClientOptions
{
    /// <summary>The org's My Domain URL, e.g. https://lakeshore.my.salesforce.com; the only host that ever sees the token.</summary>
    public required Uri InstanceUrl { get; init; }

    /// <summary>REST API version, e.g. 64.0.</summary>
    public string ApiVersion { get; init; } = "64.0";

    /// <summary>Retries after 408/429/5xx or a network failure.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff delay; doubles each retry, with jitter. Retry-After, when sent, wins.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait for one attempt.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The path prefix of REST calls, e.g. /services/data/v64.0.</summary>
    public string ApiPath => "/services/data/v" + ApiVersion;

    /// <summary>https anywhere; plain http only on the loopback address (the tests' server).</summary>
    public static bool IsSafeEndpoint(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}

/// <summary>A write or read to send: a path under the instance and at most one body.</summary>
/// <param name="Method">GET, POST, PATCH or DELETE.</param>
/// <param name="Path">Path and query beginning with /services/.</param>
/// <param name="Json">JSON body.</param>
/// <param name="Form">Form body.</param>
public sealed record ApiRequest(string Method, string Path, string? Json = null, IReadOnlyDictionary<string, string>? Form = null);

/// <summary>What came back.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Body">Body text.</param>
/// <param name="BodySha256">SHA-256 of the body bytes, lower-case hex (what the journal keeps).</param>
public sealed record ApiResponse(int Status, string Body, string BodySha256)
{
    /// <summary>2xx.</summary>
    public bool Success => Status is >= 200 and < 300;

    /// <summary>Salesforce's error code and message, when the body carries one.</summary>
    public string ErrorText
    {
        get
        {
            try
            {
                var node = JsonNode.Parse(Body);
                if (node is JsonArray { Count: > 0 } array && array[0] is JsonObject first)
                {
                    return $"{Text(first["errorCode"])}: {Text(first["message"])}";
                }

                if (node is JsonObject obj && obj["error"] is not null)
                {
                    return $"{Text(obj["error"])}: {Text(obj["error_description"])}";
                }
            }
            catch (JsonException)
            {
                // Not JSON: fall through to the raw text.
            }

            return Body.Length > 200 ? Body[..200] : Body;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString();
}

/// <summary>One retry the resilience pipeline made, for the journal.</summary>
/// <param name="Attempt">0-based attempt that failed.</param>
/// <param name="Status">Status of that attempt, or null for a network failure.</param>
/// <param name="Delay">Wait before the next attempt (Retry-After when the server sent it).</param>
/// <param name="Url">Request URL.</param>
public sealed record RetryNotice(int Attempt, int? Status, TimeSpan Delay, string Url);

/// <summary>The access token was refused or could not be obtained: nothing more can be done until a new one is given.</summary>
public sealed class SalesforceAuthException(string message) : Exception(message);

/// <summary>A request went wrong in a way the caller should report (not retried further).</summary>
public sealed class SalesforceApiException(string message, int? status) : Exception(message)
{
    /// <summary>HTTP status, when there was a response.</summary>
    public int? Status { get; } = status;
}

/// <summary>
/// The containment REST client: HttpClient with the standard resilience retry (exponential backoff with
/// jitter, Retry-After honoured on 429/503) and a guard that attaches the bearer token only to requests for
/// the configured instance, refuses every other host and never follows redirects.
/// </summary>
public sealed class SalesforceClient : IDisposable
{
    private readonly HttpClient _http;

    /// <summary>Creates the client. <paramref name="onRetry"/> hears every retry, for the journal.</summary>
    public SalesforceClient(SalesforceClientOptions options, IAccessTokenSource token, Action<RetryNotice>? onRetry = null)
    {
        if (!SalesforceClientOptions.IsSafeEndpoint(options.InstanceUrl))
        {
            throw new ArgumentException($"instance URL {options.InstanceUrl} must be https (plain http only on the loopback address)", nameof(options));
        }

        Options = options;
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, options.MaxRetries),
            Delay = options.RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = true,
            OnRetry = args =>
            {
                onRetry?.Invoke(new RetryNotice(
                    args.AttemptNumber,
                    args.Outcome.Result is { } r ? (int)r.StatusCode : null,
                    args.RetryDelay,
                    args.Outcome.Result?.RequestMessage?.RequestUri?.GetLeftPart(UriPartial.Path) ?? ""));
                return default;
            },
        };
        if (options.MaxRetries <= 0)
        {
            retry.ShouldHandle = _ => ValueTask.FromResult(false);
        }

        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(retry)
            .AddTimeout(options.AttemptTimeout)
            .Build();
        var host = options.InstanceUrl.Host;
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, ct) =>
            {
                // Second line of defence: whatever builds a request, the socket only ever opens to the instance.
                if (!string.Equals(context.DnsEndPoint.Host, host, StringComparison.OrdinalIgnoreCase))
                {
                    throw new SalesforceHostException($"refusing to connect to {context.DnsEndPoint.Host}: only {host} may be contacted");
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var bearer = new InstanceBearerHandler(options.InstanceUrl, token) { InnerHandler = sockets };
        _http = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = bearer })
        {
            BaseAddress = options.InstanceUrl,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The settings in force.</summary>
    public SalesforceClientOptions Options { get; }

    /// <summary>Sends one request and returns the response; 401 throws, other statuses are the caller's to judge.</summary>
    /// <exception cref="SalesforceAuthException">The token was refused (expired or revoked).</exception>
    /// <exception cref="SalesforceApiException">The network failed after every retry.</exception>
    public async Task<ApiResponse> SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var uri = Resolve(request.Path);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        if (request.Json is { } json)
        {
            message.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        else if (request.Form is { } form)
        {
            message.Content = new FormUrlEncodedContent(form);
        }

        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new SalesforceApiException($"{request.Method} {uri.GetLeftPart(UriPartial.Path)} failed after retries: {e.Message}", null);
        }
        catch (Polly.Timeout.TimeoutRejectedException e)
        {
            throw new SalesforceApiException($"{request.Method} {uri.GetLeftPart(UriPartial.Path)} timed out after retries: {e.Message}", null);
        }

        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var result = new ApiResponse((int)response.StatusCode, Encoding.UTF8.GetString(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes)));
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new SalesforceAuthException(
                    $"Salesforce refused the access token (HTTP 401 {result.ErrorText}): it has expired or been revoked. Get a fresh token and run the same command again; completed steps are not repeated.");
            }

            return result;
        }
    }

    /// <summary>Runs a SOQL query, following nextRecordsUrl, and returns every row with the responses seen.</summary>
    /// <exception cref="SalesforceApiException">The query failed.</exception>
    public async Task<(IReadOnlyList<JsonObject> Rows, IReadOnlyList<(ApiRequest Request, ApiResponse Response)> Exchanges)> QueryAsync(string soql, CancellationToken cancellationToken)
    {
        var rows = new List<JsonObject>();
        var exchanges = new List<(ApiRequest, ApiResponse)>();
        var path = $"{Options.ApiPath}/query?q={Uri.EscapeDataString(soql)}";
        while (path is not null)
        {
            var request = new ApiRequest("GET", path);
            var response = await SendAsync(request, cancellationToken);
            exchanges.Add((request, response));
            if (!response.Success)
            {
                throw new SalesforceApiException($"query failed (HTTP {response.Status} {response.ErrorText}): {soql}", response.Status);
            }

            JsonObject page;
            try
            {
                page = JsonNode.Parse(response.Body) as JsonObject ?? throw new SalesforceApiException("query answer is not a JSON object", response.Status);
            }
            catch (JsonException e)
            {
                throw new SalesforceApiException($"query answer is not JSON: {e.Message}", response.Status);
            }

            foreach (var record in page["records"] as JsonArray ?? [])
            {
                if (record is JsonObject row)
                {
                    rows.Add(row);
                }
            }

            var next = page["done"]?.GetValue<bool>() == false ? page["nextRecordsUrl"]?.GetValue<string>() : null;
            if (next is not null && !next.StartsWith(Options.ApiPath + "/query/", StringComparison.Ordinal))
            {
                throw new SalesforceApiException($"query answer points to {next}, which is not a query locator of this instance", response.Status);
            }

            path = next;
        }

        return (rows, exchanges);
    }

    /// <summary>The absolute URL a path resolves to (for printing a dry run).</summary>
    public Uri Resolve(string path)
    {
        if (!path.StartsWith("/services/", StringComparison.Ordinal))
        {
            throw new SalesforceHostException($"refusing request path {path}: only /services/ paths of the instance are sent");
        }

        return new Uri(Options.InstanceUrl, path);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private sealed class InstanceBearerHandler(Uri instance, IAccessTokenSource token) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is not { } uri || !string.Equals(uri.GetLeftPart(UriPartial.Authority), instance.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                throw new SalesforceHostException($"refusing to send the access token to {request.RequestUri?.GetLeftPart(UriPartial.Authority)}: it only goes to {instance.GetLeftPart(UriPartial.Authority)}");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(cancellationToken));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>A request was about to leave for a host other than the instance; it was stopped.</summary>
public sealed class SalesforceHostException(string message) : InvalidOperationException(message);

/// <summary>Masks secrets the way every Breachline output does: first 4 characters and the length.</summary>
public static class SecretMask
{
    /// <summary>e.g. <c>00Dx…(112)</c>.</summary>
    public static string Mask(string? secret) =>
        string.IsNullOrEmpty(secret) ? "" : string.Create(CultureInfo.InvariantCulture, $"{secret[..Math.Min(4, secret.Length)]}…({secret.Length})");
}
