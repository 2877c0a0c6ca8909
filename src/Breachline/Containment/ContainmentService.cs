using Breachline.Common;
using Breachline.Containment.Api;
using Breachline.Evidence;
using Breachline.Storage;

namespace Breachline.Containment;

/// <summary>How to reach and authenticate to the org for `contain run`.</summary>
/// <param name="InstanceUrl">My Domain URL; the only host that receives the token.</param>
/// <param name="ApiVersion">REST API version.</param>
/// <param name="TokenVariable">Environment variable holding an access token (used when <paramref name="Jwt"/> is null).</param>
/// <param name="Jwt">JWT bearer flow settings, or null.</param>
public sealed record SalesforceConnection(Uri InstanceUrl, string ApiVersion, string TokenVariable, JwtBearerSettings? Jwt);

/// <summary>The containment stage's surface for hosts: plan, run, status, package.</summary>
public sealed class ContainmentService(Workspace workspace, TimeProvider time, string actor)
{
    private readonly ContainmentStore _store = new(workspace);

    /// <summary>The store (journal and states).</summary>
    public ContainmentStore Store => _store;

    /// <summary>Builds a plan from an input file (and optionally an institution's playbook) and makes it current.</summary>
    /// <exception cref="InputException">The input or playbook is malformed.</exception>
    public ContainmentPlan Plan(string inputPath, string? playbookPath)
    {
        var playbook = playbookPath is null ? Playbook.LoadBuiltIn() : Playbook.Load(Path.GetFullPath(playbookPath));
        var plan = ContainmentPlanner.Build(ContainmentInput.Load(inputPath), playbook, inputPath);
        _store.SavePlan(plan, actor, time.GetUtcNow());
        return plan;
    }

    /// <summary>The current plan.</summary>
    /// <exception cref="UsageException">No plan was made yet.</exception>
    public ContainmentPlan Current() =>
        _store.CurrentPlan() ?? throw new UsageException("no containment plan yet: run `breachline contain plan --input containment-input.json` (or `breachline run`) first");

    /// <summary>The plan's actions with their recorded states and journal.</summary>
    public IReadOnlyList<ContainmentEntry> Status(ContainmentPlan plan) => ContainmentDocument.From(plan, _store);

    /// <summary>Runs the plan against the org (dry unless <paramref name="execute"/>).</summary>
    public async Task<RunReport> RunAsync(ContainmentPlan plan, SalesforceConnection connection, bool execute, SalesforceClientOptions? tuning, CancellationToken cancellationToken)
    {
        if (!SalesforceClientOptions.IsSafeEndpoint(connection.InstanceUrl))
        {
            throw new UsageException($"--instance-url {connection.InstanceUrl} must be https (plain http only on 127.0.0.1 for tests)");
        }

        using var jwtHttp = connection.Jwt is null ? null : new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        IAccessTokenSource token = connection.Jwt is { } jwt
            ? new JwtBearerAccessToken(jwt, jwtHttp!, time)
            : new EnvironmentAccessToken(connection.TokenVariable);
        var options = (tuning ?? new SalesforceClientOptions { InstanceUrl = connection.InstanceUrl }) with
        {
            InstanceUrl = connection.InstanceUrl,
            ApiVersion = connection.ApiVersion,
        };
        using var client = new SalesforceClient(options, token, notice =>
            _store.Append(new JournalEntry(0, plan.PlanId, "-", "retry", null, notice.Url, null, notice.Status, null, time.GetUtcNow(), actor,
                $"attempt {notice.Attempt + 1} failed; retrying in {notice.Delay.TotalSeconds:0.###} s")));
        try
        {
            var report = await new ContainmentRunner(_store, client, token, time, actor).RunAsync(plan, execute, cancellationToken);
            if (execute && File.Exists(_store.JournalPath))
            {
                // The journal is evidence of what was changed in the org: into the vault with its custody entry.
                using var vault = EvidenceVault.Open(workspace, time);
                vault.CollectOutput(_store.JournalPath, EvidenceKind.ContainmentJournal, actor, $"containment journal after contain run --execute of {plan.PlanId}");
            }

            return report;
        }
        catch (SalesforceAuthException e)
        {
            // No token at all (before any action): nothing was sent.
            return new RunReport(plan.PlanId, execute, [.. plan.Actions.Select(a => new ActionOutcome(a, "not-reached", "the run stopped before this action", 0))], [], e.Message);
        }
    }

    /// <summary>Writes the SFDX package of the plan's metadata actions.</summary>
    public PackageResult Package(ContainmentPlan plan, string folder, string? orgRoot, string apiVersion) =>
        SfdxPackage.Write(plan, orgRoot, folder, apiVersion);
}
