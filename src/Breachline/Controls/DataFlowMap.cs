using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Breachline.Org;
using Breachline.Posture;
using Breachline.Salesforce;

namespace Breachline.Controls;

/// <summary>A weakness where a flow crosses the system boundary.</summary>
/// <param name="Kind">no-logging, broad-scope, plaintext-transport or embedded-credential.</param>
/// <param name="Criterion">The criterion it bears on.</param>
/// <param name="Detail">What exactly, in one line.</param>
public sealed record BoundaryGap(string Kind, string Criterion, string Detail);

/// <summary>One data flow across the boundary of the CRM: discovered from metadata or integrations, or declared in org.yaml.</summary>
/// <param name="Id">Stable id (DF-…).</param>
/// <param name="Name">Short name.</param>
/// <param name="Kind">connected-app, named-credential, remote-site, integration, guest-site or declared.</param>
/// <param name="From">Source system.</param>
/// <param name="To">Destination system.</param>
/// <param name="Direction">inbound (an outside client calls in and pulls data from the CRM), outbound (the CRM calls out) or both.</param>
/// <param name="Elements">Data element tokens carried (from org.yaml where declared).</param>
/// <param name="Authentication">How it authenticates; null when nothing says.</param>
/// <param name="Transport">https, http, ftp, sftp…; null when nothing says.</param>
/// <param name="Logging">Whether requests are logged at the boundary; null when unknown.</param>
/// <param name="Criteria">Criteria the flow touches.</param>
/// <param name="Gaps">Boundary gaps.</param>
/// <param name="Sources">Where the flow was seen (export-relative paths, org.yaml).</param>
/// <param name="Findings">Scan findings located on the flow.</param>
/// <param name="OnAttackPath">True when the attack went through this flow.</param>
public sealed record DataFlow(
    string Id,
    string Name,
    string Kind,
    string From,
    string To,
    string Direction,
    IReadOnlyList<string> Elements,
    string? Authentication,
    string? Transport,
    bool? Logging,
    IReadOnlyList<string> Criteria,
    IReadOnlyList<BoundaryGap> Gaps,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Findings,
    bool OnAttackPath);

/// <summary>
/// The data-flow map: every system that exchanges data with the CRM and how. Leaks happen at these
/// boundaries, so each flow says which access and transmission criteria it touches and where it is weak.
/// </summary>
/// <param name="Hub">The CRM at the centre.</param>
/// <param name="Flows">Flows, discovered first, then declared ones no discovery matched.</param>
public sealed record DataFlowMap(string Hub, IReadOnlyList<DataFlow> Flows)
{
    private static readonly Regex Token = new("[A-Za-z][a-z]+|[A-Z]+(?![a-z])|[0-9]+", RegexOptions.CultureInvariant);

    /// <summary>Builds the map from the metadata model, the integration folders (judged by the scan's findings there) and org.yaml.</summary>
    public static DataFlowMap Build(OrgExport org, OrgMetadata metadata, IReadOnlyList<Finding> findings, AttackPath path)
    {
        const string hub = "Salesforce";
        var flows = new List<Draft>();
        foreach (var app in metadata.ConnectedApps)
        {
            var name = app.Label?.Value ?? app.Name;
            var scopes = app.Scopes.Select(s => s.Value).ToList();
            var draft = new Draft(name, "connected-app", hub, name, "inbound", [app.Name, name]) { Authentication = $"OAuth ({(scopes.Count == 0 ? "no scopes" : string.Join(", ", scopes))})", Transport = Scheme(app.CallbackUrl?.Value) ?? "https" };
            draft.Sources.Add(app.Source.Path);
            var broad = new List<string>();
            if (app.Scope("Full") is not null)
            {
                broad.Add("Full scope");
            }

            if (app.IpRelaxation?.Value is "BYPASS" or "ENFORCE_RELAXREFRESH" or "BYPASS_2FACTOR")
            {
                broad.Add($"IP restrictions relaxed ({app.IpRelaxation.Value})");
            }

            if (string.Equals(app.RefreshTokenPolicy?.Value, "infinite", StringComparison.OrdinalIgnoreCase) && (app.Scope("RefreshToken") ?? app.Scope("OfflineAccess") ?? app.Scope("Full")) is not null)
            {
                broad.Add("refresh tokens never expire");
            }

            if (app.ProfileName?.Value is "System Administrator" or "Admin")
            {
                broad.Add("runs as System Administrator");
            }

            if (broad.Count > 0)
            {
                draft.Gaps.Add(new BoundaryGap("broad-scope", "CC6.1", $"connected app {app.Name}: {string.Join("; ", broad)}"));
            }

            draft.OnPath = path.ConnectedApps.Contains(app.Name);
            flows.Add(draft);
        }

        foreach (var credential in metadata.NamedCredentials)
        {
            var url = credential.Endpoint?.Value;
            var draft = new Draft(credential.Name, "named-credential", hub, Host(url) ?? credential.Name, "outbound", [credential.Name]) { Authentication = credential.ExternalCredential?.Value is { } ext ? $"external credential {ext}" : credential.Protocol?.Value ?? "none stated", Transport = Scheme(url) };
            draft.Sources.Add(credential.Source.Path);
            if (draft.Transport == "http")
            {
                draft.Gaps.Add(new BoundaryGap("plaintext-transport", "CC6.7", $"named credential {credential.Name} calls {url}"));
            }

            if (credential.Password is { Value.Length: > 0 })
            {
                draft.Gaps.Add(new BoundaryGap("embedded-credential", "CC6.1", $"named credential {credential.Name} stores a password in metadata"));
            }

            flows.Add(draft);
        }

        foreach (var site in metadata.RemoteSites)
        {
            var url = site.Url?.Value;
            var draft = new Draft(site.Name, "remote-site", hub, Host(url) ?? site.Name, "outbound", [site.Name]) { Authentication = "set by the Apex callout (not in metadata)", Transport = Scheme(url) };
            draft.Sources.Add(site.Source.Path);
            if (draft.Transport == "http")
            {
                draft.Gaps.Add(new BoundaryGap("plaintext-transport", "CC6.7", $"remote site {site.Name} is called over plain HTTP ({url})"));
            }
            else if (site.DisableProtocolSecurity?.IsTrue == true)
            {
                draft.Gaps.Add(new BoundaryGap("plaintext-transport", "CC6.7", $"remote site {site.Name} allows HTTPS to HTTP downgrade"));
            }

            flows.Add(draft);
        }

        if (Directory.Exists(org.IntegrationsPath))
        {
            foreach (var dir in Directory.EnumerateDirectories(org.IntegrationsPath).Order(StringComparer.Ordinal))
            {
                var folder = Path.GetFileName(dir);
                var prefix = $"integrations/{folder}/";
                var here = findings.Where(f => f.Location.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();
                var draft = new Draft(folder, "integration", folder, hub, "both", [folder]);
                draft.Sources.Add(prefix);
                if (here.Any(f => f.Pattern == "hardcoded-credential"))
                {
                    draft.Authentication = "credentials embedded in code or configuration";
                    draft.Gaps.Add(new BoundaryGap("embedded-credential", "CC6.1", $"{here.Count(f => f.Pattern == "hardcoded-credential")} hard-coded credentials in {prefix}"));
                }

                foreach (var f in here.Where(f => f.Pattern == "insecure-transfer"))
                {
                    draft.Transport ??= f.Detail.Contains("ftp", StringComparison.OrdinalIgnoreCase) ? "ftp" : null;
                    draft.Gaps.Add(new BoundaryGap("plaintext-transport", "CC6.7", $"{f.Title} ({f.Location})"));
                }

                foreach (var f in here.Where(f => f.Pattern == "insufficient-logging"))
                {
                    draft.Logging = false;
                    draft.Gaps.Add(new BoundaryGap("no-logging", "CC7.2", $"{f.Title} ({f.Location})"));
                }

                draft.OnPath = path.Integrations.Contains(folder);
                flows.Add(draft);
            }
        }

        // A site's guest user is a boundary too: anyone on the internet reads what the guest profile and the guest sharing rules allow.
        foreach (var guest in metadata.Profiles.Where(p => p.IsGuest))
        {
            var site = metadata.Sites.FirstOrDefault(s => string.Equals(s.GuestProfile?.Value, guest.Name, StringComparison.OrdinalIgnoreCase));
            var name = site?.Name ?? guest.Name;
            var draft = new Draft(name, "guest-site", hub, $"Public site visitors ({name})", "outbound", [guest.Name, name]) { Authentication = "none (site guest user)", Transport = "https" };
            draft.Sources.Add(guest.Source.Path);
            if (site is not null)
            {
                draft.Sources.Add(site.Source.Path);
            }

            var exposed = findings.Where(f => f.Pattern == "guest-exposure" && (f.Location.Path == guest.Source.Path || f.Location.Path.Contains(".sharingRules", StringComparison.Ordinal))).ToList();
            draft.Sources.AddRange(exposed.Select(f => f.Location.Path).Where(p => p != guest.Source.Path).Distinct(StringComparer.Ordinal));
            if (exposed.Count > 0)
            {
                draft.Gaps.Add(new BoundaryGap("broad-scope", "CC6.1", $"guest user of {name}: {exposed.Count} reads of student data without signing in"));
            }

            draft.OnPath = draft.Sources.Any(path.Files.Contains);
            flows.Add(draft);
        }

        var declaredOnly = new List<Draft>();
        foreach (var declared in org.Facts?.DataFlows ?? [])
        {
            var nameTokens = Tokens(declared.Name);
            var allTokens = Tokens($"{declared.Name} {declared.From} {declared.To}");
            var matches = flows.Where(d => d.Keys.Any(k =>
            {
                var t = Tokens(k);
                return t.Count >= 2 && (t.IsSubsetOf(allTokens) || (nameTokens.Count >= 2 && nameTokens.IsSubsetOf(t)));
            })).ToList();
            if (matches.Count == 0)
            {
                var draft = new Draft(declared.Name, "declared", declared.From, declared.To, "outbound", []);
                matches.Add(draft);
                declaredOnly.Add(draft);
            }

            foreach (var m in matches)
            {
                m.Sources.Add($"org.yaml:{declared.Line.ToString(CultureInfo.InvariantCulture)}");
                m.Elements.UnionWith(declared.Elements);
                m.Declared.Add(declared.Name);
                m.Authentication ??= declared.Authentication;
                if (declared.Transport is { } transport && (m.Transport is null || m.Kind == "integration"))
                {
                    m.Transport = transport;
                }

                if (declared.Logging is { } logging)
                {
                    m.Logging = m.Logging == false ? false : logging;
                }

                if (declared.Transport is "ftp" or "http" or "telnet" && !m.Gaps.Any(g => g.Kind == "plaintext-transport"))
                {
                    m.Gaps.Add(new BoundaryGap("plaintext-transport", "CC6.7", $"org.yaml declares {declared.Name} over {declared.Transport}"));
                }

                if (declared.Logging == false && !m.Gaps.Any(g => g.Kind == "no-logging"))
                {
                    m.Gaps.Add(new BoundaryGap("no-logging", "CC7.2", $"org.yaml declares that {declared.Name} logs nothing at the boundary"));
                }
            }
        }

        flows.AddRange(declaredOnly);
        var built = flows.Select(d =>
        {
            var onFlow = findings.Where(f => d.Sources.Any(s => s.EndsWith('/') ? f.Location.Path.StartsWith(s, StringComparison.Ordinal) : f.Location.Path == s)).Select(f => f.Id).ToList();
            var criteria = new SortedSet<string>(StringComparer.Ordinal) { "CC6.1", "CC6.7", "CC7.2" };
            if (d.Direction is "inbound" or "both")
            {
                criteria.Add("CC6.6");
            }

            var extra = d.Declared.Where(n => !string.Equals(n, d.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            var name = extra.Count > 0 && d.Kind != "declared" ? $"{d.Name} ({string.Join(", ", extra)})" : d.Name;
            return new DataFlow(
                "DF-" + Slug(d.Kind + "-" + d.Name),
                name,
                d.Kind,
                d.From,
                d.To,
                d.Direction,
                [.. d.Elements.Order(StringComparer.Ordinal)],
                d.Authentication,
                d.Transport,
                d.Logging,
                [.. criteria],
                d.Gaps,
                d.Sources,
                onFlow,
                d.OnPath);
        }).ToList();
        return new DataFlowMap(hub, built);
    }

    /// <summary>The map as Mermaid flowchart text (for Markdown); flows with gaps are drawn red.</summary>
    public string ToMermaid()
    {
        var sb = new StringBuilder("flowchart LR\n");
        sb.Append(CultureInfo.InvariantCulture, $"    hub[\"{Quote(Hub)}\"]\n");
        var nodes = new Dictionary<string, string>(StringComparer.Ordinal) { [Hub] = "hub" };
        string Node(string system)
        {
            if (!nodes.TryGetValue(system, out var id))
            {
                id = $"n{nodes.Count.ToString(CultureInfo.InvariantCulture)}";
                nodes[system] = id;
                sb.Append(CultureInfo.InvariantCulture, $"    {id}[\"{Quote(system)}\"]\n");
            }

            return id;
        }

        var link = 0;
        var red = new List<int>();
        foreach (var flow in Flows)
        {
            var from = Node(flow.From);
            var to = Node(flow.To);
            var label = $"{flow.Name}: {flow.Transport ?? "?"}, {(flow.Logging is null ? "logging ?" : flow.Logging.Value ? "logged" : "NOT logged")}" + (flow.Gaps.Count > 0 ? $" ⚠ {string.Join(", ", flow.Gaps.Select(g => g.Kind).Distinct())}" : "");
            sb.Append(CultureInfo.InvariantCulture, $"    {from} {(flow.Direction == "both" ? "<-->" : "-->")}|\"{Quote(label)}\"| {to}\n");
            if (flow.Gaps.Count > 0)
            {
                red.Add(link);
            }

            link++;
        }

        foreach (var i in red)
        {
            sb.Append(CultureInfo.InvariantCulture, $"    linkStyle {i} stroke:#b42318,stroke-width:2px\n");
        }

        return sb.ToString();
    }

    /// <summary>The map as a self-contained SVG (no script, no external resources): the CRM in the middle, systems around it.</summary>
    public string ToSvg()
    {
        const int rowHeight = 64, boxWidth = 230, boxHeight = 40, width = 1040;
        var left = Flows.Where(f => f.Direction != "outbound").ToList();
        var right = Flows.Where(f => f.Direction == "outbound").ToList();
        var rows = Math.Max(Math.Max(left.Count, right.Count), 1);
        var height = (rows * rowHeight) + 90;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Data-flow map\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n");
        sb.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"context-stroke\"/></marker></defs>\n");
        sb.Append("<text x=\"12\" y=\"20\" font-weight=\"600\">Data flows across the CRM boundary (red: boundary gap; thick: on the attack path)</text>\n");
        var hubX = (width - 160) / 2;
        var hubY = 40;
        var hubH = height - 60;
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{hubX}\" y=\"{hubY}\" width=\"160\" height=\"{hubH}\" rx=\"10\" fill=\"#eef3fb\" stroke=\"#1849a9\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{hubX + 80}\" y=\"{hubY + (hubH / 2)}\" text-anchor=\"middle\" font-weight=\"600\">{Esc(Hub)}</text>\n");
        void Side(IReadOnlyList<DataFlow> flows, bool isLeft)
        {
            for (var i = 0; i < flows.Count; i++)
            {
                var f = flows[i];
                var x = isLeft ? 20 : width - boxWidth - 20;
                var y = 50 + (i * rowHeight);
                var colour = f.Gaps.Count > 0 ? "#b42318" : "#067647";
                var system = f.From == Hub ? f.To : f.From;
                sb.Append(CultureInfo.InvariantCulture, $"<g><title>{Esc($"{f.Name}: {f.From} → {f.To}; auth {f.Authentication ?? "?"}; transport {f.Transport ?? "?"}; logging {(f.Logging is null ? "unknown" : f.Logging.Value ? "yes" : "no")}; criteria {string.Join(" ", f.Criteria)}" + (f.Gaps.Count > 0 ? "; gaps: " + string.Join("; ", f.Gaps.Select(g => g.Detail)) : ""))}</title>\n");
                sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{boxWidth}\" height=\"{boxHeight}\" rx=\"6\" fill=\"#fff\" stroke=\"{colour}\" stroke-width=\"{(f.OnAttackPath ? 3 : 1)}\"/>\n");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 8}\" y=\"{y + 16}\" font-weight=\"600\">{Esc(Clip(system, 34))}</text>\n");
                sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 8}\" y=\"{y + 32}\" fill=\"#5b6573\">{Esc(Clip($"{f.Kind} · {f.Transport ?? "?"} · {(f.Logging is null ? "log ?" : f.Logging.Value ? "logged" : "not logged")}", 38))}</text>\n");
                var y1 = y + (boxHeight / 2);
                var (x1, x2) = isLeft ? (x + boxWidth, hubX) : (hubX + 160, x);
                // Arrows follow the data: towards the box when the CRM is the source.
                var towardsBox = f.From == Hub == isLeft;
                var markers = f.Direction == "both" ? "marker-start=\"url(#arrow)\" marker-end=\"url(#arrow)\"" : towardsBox ? "marker-start=\"url(#arrow)\"" : "marker-end=\"url(#arrow)\"";
                sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y1}\" stroke=\"{colour}\" stroke-width=\"{(f.OnAttackPath ? 3 : 1.5)}\" {markers}/>\n");
                if (f.Gaps.Count > 0)
                {
                    var label = string.Join(", ", f.Gaps.Select(g => g.Kind).Distinct());
                    sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{(x1 + x2) / 2}\" y=\"{y1 - 4}\" text-anchor=\"middle\" fill=\"#b42318\" font-size=\"11\">{Esc(Clip(label, 40))}</text>\n");
                }

                sb.Append("</g>\n");
            }
        }

        Side(left, isLeft: true);
        Side(right, isLeft: false);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static HashSet<string> Tokens(string text) =>
        Token.Matches(text).Select(m => m.Value.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    private static string? Scheme(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Scheme.ToLowerInvariant() : null;

    private static string? Host(string? url) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : null;

    private static string Slug(string text) =>
        string.Join('-', Token.Matches(text).Select(m => m.Value.ToLowerInvariant()));

    private static string Quote(string text) => text.Replace("\"", "'", StringComparison.Ordinal);

    private static string Esc(string text) => WebUtility.HtmlEncode(text);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private sealed class Draft(string name, string kind, string from, string to, string direction, IReadOnlyList<string> keys)
    {
        public string Name { get; } = name;

        public string Kind { get; } = kind;

        public string From { get; } = from;

        public string To { get; } = to;

        public string Direction { get; } = direction;

        public IReadOnlyList<string> Keys { get; } = keys;

        public string? Authentication { get; set; }

        public string? Transport { get; set; }

        public bool? Logging { get; set; }

        public bool OnPath { get; set; }

        public HashSet<string> Elements { get; } = new(StringComparer.Ordinal);

        public List<string> Declared { get; } = [];

        public List<BoundaryGap> Gaps { get; } = [];

        public List<string> Sources { get; } = [];
    }
}
