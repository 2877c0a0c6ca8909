using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Breachline.Containment.Api;

namespace Breachline.Containment;

/// <summary>What happened to one action in a run.</summary>
/// <param name="Action">The action.</param>
/// <param name="Status">done, would-change, no-change, failed, blocked, awaiting-deploy, manual, needs-input, not-reached.</param>
/// <param name="Detail">Why, in words.</param>
/// <param name="Changes">Writes sent (execute) or that would be sent (dry run).</param>
public sealed record ActionOutcome(PlannedAction Action, string Status, string Detail, int Changes);

/// <summary>A request as the dry run prints it: the token masked, secrets in the body masked.</summary>
/// <param name="ActionId">Action it belongs to.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Url">Absolute URL.</param>
/// <param name="Authorization">The Authorization header, masked.</param>
/// <param name="Body">Body with secrets masked, or null.</param>
/// <param name="Sent">True for reads actually sent (a dry run reads what remains to be done); false for writes withheld.</param>
public sealed record PrintedRequest(string ActionId, string Method, string Url, string Authorization, string? Body, bool Sent);

/// <summary>The result of one `contain run`.</summary>
/// <param name="PlanId">Plan.</param>
/// <param name="Executed">False for a dry run.</param>
/// <param name="Outcomes">Every action, in plan order.</param>
/// <param name="Requests">Every request sent or (dry run) withheld, in order.</param>
/// <param name="StoppedBecause">Why the run stopped before the end (an expired token), or null.</param>
public sealed record RunReport(string PlanId, bool Executed, IReadOnlyList<ActionOutcome> Outcomes, IReadOnlyList<PrintedRequest> Requests, string? StoppedBecause)
{
    /// <summary>True when every api action is done or needed no change, and the run was not stopped.</summary>
    public bool Complete => StoppedBecause is null && Outcomes.All(o => o.Action.Mode != "api" || o.Status is "done" or "no-change" or "would-change");
}

/// <summary>
/// Carries out a plan's api actions against the Salesforce REST API. Each action first queries what is
/// left to do, so a repeat (a second run, or a resume after a crash) sends no write for what is already
/// done; every request is journaled before and after; a failure blocks the actions that depend on it and
/// lets the others go on; a refused token stops the run with what is done and what is not.
/// </summary>
public sealed partial class ContainmentRunner(ContainmentStore store, SalesforceClient client, IAccessTokenSource token, TimeProvider time, string actor)
{
    /// <summary>Runs (dry by default) every action of <paramref name="plan"/> not done yet.</summary>
    public async Task<RunReport> RunAsync(ContainmentPlan plan, bool execute, CancellationToken cancellationToken)
    {
        if (execute && plan.Input.Responders.Count == 0)
        {
            throw new Common.UsageException("the plan names no responder admin user; add your own admin user(s) to 'responders' in the input so containment can never lock you out, then plan again");
        }

        store.SavePlan(plan, actor, time.GetUtcNow());
        var states = store.States(plan.PlanId);
        var guard = new LockoutGuard(plan.Input);
        var authorization = "Bearer " + SecretMask.Mask(await token.GetAsync(cancellationToken));
        var requests = new List<PrintedRequest>();
        var outcomes = new List<ActionOutcome>();
        var status = new Dictionary<string, string>(StringComparer.Ordinal);
        string? stopped = null;
        foreach (var action in plan.Actions)
        {
            if (stopped is not null)
            {
                outcomes.Add(new ActionOutcome(action, "not-reached", "the run stopped before this action", 0));
                continue;
            }

            if (states.TryGetValue(action.Id, out var state) && state.Status == "done")
            {
                status[action.Id] = "done";
                outcomes.Add(new ActionOutcome(action, "done", $"done earlier ({state.UpdatedAt:u})", 0));
                continue;
            }

            if (action.Mode != "api")
            {
                var pending = action.NeedsInput is not null ? "needs-input" : action.Mode == "metadata" ? "awaiting-deploy" : "manual";
                var detail = action.NeedsInput ?? (action.Mode == "metadata" ? "deploy with `breachline contain package --out DIR`; or " + action.Manual : action.Manual ?? "");
                status[action.Id] = pending;
                outcomes.Add(new ActionOutcome(action, pending, detail, 0));
                continue;
            }

            var unmet = action.DependsOn.Where(d => status.GetValueOrDefault(d) is not ("done" or "would-change" or "no-change")).ToList();
            if (unmet.Count > 0)
            {
                var why = $"waits for {string.Join(", ", unmet)} ({string.Join(", ", unmet.Select(d => status.GetValueOrDefault(d, "not done")))})";
                status[action.Id] = "blocked";
                if (execute)
                {
                    store.SetState(plan.PlanId, action.Id, "blocked", why, time.GetUtcNow(), actor);
                }

                outcomes.Add(new ActionOutcome(action, "blocked", why, 0));
                continue;
            }

            try
            {
                var outcome = await RunActionAsync(plan, action, guard, execute, authorization, requests, cancellationToken);
                status[action.Id] = outcome.Status;
                outcomes.Add(outcome);
            }
            catch (SalesforceAuthException e)
            {
                stopped = e.Message;
                status[action.Id] = "failed";
                if (execute)
                {
                    store.SetState(plan.PlanId, action.Id, "interrupted", e.Message, time.GetUtcNow(), actor);
                }

                outcomes.Add(new ActionOutcome(action, "failed", e.Message, 0));
            }
            catch (SalesforceHostException e)
            {
                stopped = e.Message;
                status[action.Id] = "failed";
                outcomes.Add(new ActionOutcome(action, "failed", e.Message, 0));
            }
            catch (SalesforceApiException e)
            {
                status[action.Id] = "failed";
                if (execute)
                {
                    store.SetState(plan.PlanId, action.Id, "failed", e.Message, time.GetUtcNow(), actor);
                }

                outcomes.Add(new ActionOutcome(action, "failed", e.Message, 0));
            }
        }

        return new RunReport(plan.PlanId, execute, outcomes, requests, stopped);
    }

    private async Task<ActionOutcome> RunActionAsync(ContainmentPlan plan, PlannedAction action, LockoutGuard guard, bool execute, string authorization, List<PrintedRequest> requests, CancellationToken ct)
    {
        var api = PlaybookApi(plan, action);
        if (execute)
        {
            store.SetState(plan.PlanId, action.Id, "in-progress", null, time.GetUtcNow(), actor);
        }

        var soql = Fill(api.Query, action.Target.Fields);
        var rows = await RemainingAsync(plan, action, api, soql, guard, execute, authorization, requests, ct);
        var sent = 0;
        foreach (var row in rows)
        {
            var (request, printed) = BuildWrite(api, row);
            var url = client.Resolve(request.Path).ToString();
            requests.Add(new PrintedRequest(action.Id, request.Method, url, authorization, printed, Sent: execute));
            if (!execute)
            {
                continue;
            }

            store.Append(new JournalEntry(0, plan.PlanId, action.Id, "before", request.Method, url, printed, null, null, time.GetUtcNow(), actor, null));
            var response = await client.SendAsync(request, ct);
            store.Append(new JournalEntry(0, plan.PlanId, action.Id, "after", request.Method, url, null, response.Status, response.BodySha256, time.GetUtcNow(), actor,
                response.Success ? null : response.ErrorText));
            if (!response.Success && !api.DoneStatuses.Contains(response.Status))
            {
                throw new SalesforceApiException($"{request.Method} {url} answered HTTP {response.Status} {response.ErrorText}", response.Status);
            }

            sent++;
        }

        if (!execute)
        {
            return new ActionOutcome(action, rows.Count == 0 ? "no-change" : "would-change", $"{rows.Count} change(s) would be sent", rows.Count);
        }

        var left = rows.Count == 0 ? rows : await RemainingAsync(plan, action, api, soql, guard, execute, authorization, requests, ct);
        if (left.Count > 0)
        {
            throw new SalesforceApiException($"{left.Count} row(s) still need the change after it was sent; the org did not apply it", null);
        }

        var detail = rows.Count == 0 ? "already in the wanted state; nothing sent" : $"{sent} change(s) sent and verified";
        store.SetState(plan.PlanId, action.Id, "done", detail, time.GetUtcNow(), actor);
        return new ActionOutcome(action, "done", detail, sent);
    }

    private async Task<List<JsonObject>> RemainingAsync(ContainmentPlan plan, PlannedAction action, ApiSpec api, string soql, LockoutGuard guard, bool execute, string authorization, List<PrintedRequest> requests, CancellationToken ct)
    {
        var (rows, exchanges) = await client.QueryAsync(soql, ct);
        foreach (var (request, response) in exchanges)
        {
            var url = client.Resolve(request.Path).ToString();
            requests.Add(new PrintedRequest(action.Id, "GET", url, authorization, null, Sent: true));
            if (execute)
            {
                store.Append(new JournalEntry(0, plan.PlanId, action.Id, "read", "GET", url, null, response.Status, response.BodySha256, time.GetUtcNow(), actor, null));
            }
        }

        var remaining = new List<JsonObject>();
        foreach (var row in rows)
        {
            if (api.ProtectedUserField is { } field && guard.IsProtectedUser(Value(row, field)))
            {
                if (execute)
                {
                    store.Append(new JournalEntry(0, plan.PlanId, action.Id, "skipped", null, null, null, null, null, time.GetUtcNow(), actor,
                        $"row of responder {Value(row, field)} left untouched (lockout guard)"));
                }

                continue;
            }

            if (api.SkipWhen is { } skip && string.Equals(Value(row, skip.Field), skip.Value, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            remaining.Add(row);
        }

        return remaining;
    }

    private (ApiRequest Request, string? Printed) BuildWrite(ApiSpec api, JsonObject row)
    {
        var spec = api.Request!;
        var path = RowPlaceholder().Replace(spec.Path.Replace("{api}", client.Options.ApiPath, StringComparison.Ordinal), m => Uri.EscapeDataString(Value(row, m.Groups[1].Value) ?? ""));
        if (spec.Form is { } form)
        {
            var real = form.ToDictionary(p => p.Key, p => RowPlaceholder().Replace(p.Value, m => Value(row, m.Groups[1].Value) ?? ""), StringComparer.Ordinal);
            var shown = form.Select(p => $"{p.Key}={RowPlaceholder().Replace(p.Value, m => api.SecretFields.Contains(m.Groups[1].Value) ? SecretMask.Mask(Value(row, m.Groups[1].Value)) : Value(row, m.Groups[1].Value) ?? "")}");
            return (new ApiRequest(spec.Method, path, Form: real), string.Join("&", shown));
        }

        if (spec.Json is { } json)
        {
            var body = RowPlaceholder().Replace(json, m => JsonEncodedText.Encode(Value(row, m.Groups[1].Value) ?? "").ToString());
            return (new ApiRequest(spec.Method, path, Json: body), body);
        }

        return (new ApiRequest(spec.Method, path), null);
    }

    private static ApiSpec PlaybookApi(ContainmentPlan plan, PlannedAction action)
    {
        var playbook = plan.Playbook == Playbook.BuiltIn ? Playbook.LoadBuiltIn() : Playbook.Load(plan.Playbook);
        return playbook.Steps.FirstOrDefault(s => s.Id == action.Step)?.Api
            ?? throw new Common.UsageException($"playbook {plan.Playbook} no longer has api step {action.Step}; plan again");
    }

    /// <summary>Fills {field} placeholders of a SOQL template with the target's values, escaped as SOQL string content.</summary>
    internal static string Fill(string soql, IReadOnlyDictionary<string, string> fields) =>
        TargetPlaceholder().Replace(soql, m => EscapeSoql(fields.GetValueOrDefault(m.Groups[1].Value) ?? ""));

    /// <summary>SOQL string-literal escaping (backslash, quotes, control characters).</summary>
    internal static string EscapeSoql(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            sb.Append(c switch
            {
                '\\' => @"\\",
                '\'' => @"\'",
                '"' => "\\\"",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private static string? Value(JsonObject row, string field) =>
        !row.TryGetPropertyValue(field, out var node) || node is null ? null
        : node is JsonValue value && value.TryGetValue<string>(out var text) ? text
        : node.ToJsonString();

    [GeneratedRegex(@"\{row\.([A-Za-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex RowPlaceholder();

    [GeneratedRegex(@"\{([A-Za-z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex TargetPlaceholder();
}
