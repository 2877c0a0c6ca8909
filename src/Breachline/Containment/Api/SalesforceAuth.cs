using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Breachline.Containment.Api;

/// <summary>Where the OAuth access token comes from.</summary>
public interface IAccessTokenSource
{
    /// <summary>A current access token.</summary>
    /// <exception cref="SalesforceAuthException">No token can be had.</exception>
    ValueTask<string> GetAsync(CancellationToken cancellationToken);
}

/// <summary>An access token handed over in an environment variable (e.g. from <c>sf org display</c>).</summary>
/// <param name="variable">The variable's name, e.g. <c>SF_ACCESS_TOKEN</c>.</param>
public sealed class EnvironmentAccessToken(string variable) : IAccessTokenSource
{
    /// <inheritdoc />
    public ValueTask<string> GetAsync(CancellationToken cancellationToken) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } token
            ? ValueTask.FromResult(token)
            : throw new SalesforceAuthException($"environment variable {variable} holds no access token; set it (sf org display --json gives one) or use the JWT bearer flow (--jwt-client-id, --jwt-username, --jwt-key)");
}

/// <summary>A fixed token (tests, or a host that obtained one itself).</summary>
/// <param name="token">The access token.</param>
public sealed class StaticAccessToken(string token) : IAccessTokenSource
{
    /// <inheritdoc />
    public ValueTask<string> GetAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);
}

/// <summary>Settings of the OAuth 2.0 JWT bearer flow of a connected app.</summary>
/// <param name="TokenUrl">Login server token endpoint, e.g. https://login.salesforce.com/services/oauth2/token.</param>
/// <param name="ClientId">The connected app's consumer key (JWT iss).</param>
/// <param name="Username">The user to act as (JWT sub).</param>
/// <param name="PrivateKeyPath">PEM file of the RSA private key whose certificate the app holds.</param>
/// <param name="Audience">JWT aud: https://login.salesforce.com, https://test.salesforce.com or the My Domain login URL.</param>
public sealed record JwtBearerSettings(Uri TokenUrl, string ClientId, string Username, string PrivateKeyPath, string Audience);

/// <summary>
/// The connected-app JWT bearer flow (RFC 7523 as Salesforce implements it): an RS256-signed assertion with
/// iss, sub, aud and a short exp is posted to the token endpoint, which returns an access token. The assertion
/// is not the access token; the access token itself only ever goes to the instance URL.
/// </summary>
public sealed class JwtBearerAccessToken(JwtBearerSettings settings, HttpClient http, TimeProvider time) : IAccessTokenSource
{
    private string? _token;

    /// <inheritdoc />
    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_token is not null)
        {
            return _token;
        }

        if (!SalesforceClientOptions.IsSafeEndpoint(settings.TokenUrl))
        {
            throw new SalesforceAuthException($"token endpoint {settings.TokenUrl} is not https (plain http is only allowed on the loopback address)");
        }

        var assertion = CreateAssertion();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ["assertion"] = assertion,
        });
        using var response = await http.PostAsync(settings.TokenUrl, form, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var error = TryRead<TokenError>(body);
            throw new SalesforceAuthException(
                $"JWT bearer flow refused by {settings.TokenUrl.Host} (HTTP {(int)response.StatusCode} {error?.Error}: {error?.Description}); check the consumer key, that {settings.Username} is pre-authorised for the app, and that the app holds the key's certificate");
        }

        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken);
        _token = token?.AccessToken is { Length: > 0 } t ? t : throw new SalesforceAuthException($"token endpoint {settings.TokenUrl.Host} answered without an access_token");
        return _token;
    }

    /// <summary>The signed assertion (exposed for tests of its shape).</summary>
    internal string CreateAssertion()
    {
        string pem;
        try
        {
            pem = File.ReadAllText(settings.PrivateKeyPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SalesforceAuthException($"cannot read the JWT private key {settings.PrivateKeyPath}: {e.Message}");
        }

        using var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (ArgumentException e)
        {
            throw new SalesforceAuthException($"{settings.PrivateKeyPath} is not a PEM RSA private key: {e.Message}");
        }

        // Salesforce allows at most 3 minutes between now and exp.
        var exp = time.GetUtcNow().AddMinutes(3).ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8);
        var claims = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["iss"] = settings.ClientId,
            ["sub"] = settings.Username,
            ["aud"] = settings.Audience,
            ["exp"] = exp,
        }));
        var signingInput = $"{header}.{claims}";
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return string.Create(CultureInfo.InvariantCulture, $"{signingInput}.{Base64Url(signature)}");
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static T? TryRead<T>(string body)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string? AccessToken, [property: JsonPropertyName("instance_url")] string? InstanceUrl);

    private sealed record TokenError([property: JsonPropertyName("error")] string? Error, [property: JsonPropertyName("error_description")] string? Description);
}
