using System.ComponentModel;
using Kontor.Common;
using Kontor.Crm;
using Kontor.Crm.PersonalData;
using Kontor.Crm.Segmentation;
using Kontor.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kontor.Web.Api;

public sealed record SegmentRequest(string? Name);

public sealed record SegmentDto(Guid Id, string Name)
{
    public static SegmentDto From(Segment s) => new(s.Id, s.Name);
}

[Description("segmentId: one of GET /api/segments, or null to take the party out of its segment.")]
public sealed record PartySegmentRequest(Guid? SegmentId);

[Description("Every criterion given must hold. tags: the party carries all of them. hasOverdueDebt / overCreditLimit / creditBlocked use the customer card's figures.")]
public sealed record PartyFilterDto(string? Search, Guid? SegmentId, IReadOnlyList<string>? Tags, string? City, string? Country, PartyKind? Kind,
    bool? HasOverdueDebt, bool? OverCreditLimit, bool? CreditBlocked)
{
    public PartyFilter ToFilter() => new(Search, SegmentId, Tags, City, Country, Kind, HasOverdueDebt, OverCreditLimit, CreditBlocked);
    public static PartyFilterDto From(PartyFilter f) => new(f.Search, f.SegmentId, f.Tags, f.City, f.Country, f.Kind, f.HasOverdueDebt, f.OverCreditLimit, f.CreditBlocked);
}

public sealed record SavedFilterRequest(string? Name, bool? Shared, PartyFilterDto? Filter)
{
    public SaveFilter ToCommand() => new(Name, Shared ?? false, Filter?.ToFilter());
}

public sealed record SavedFilterDto(Guid Id, string Name, Guid OwnerUserId, string OwnerName, bool Shared, bool Mine, PartyFilterDto Filter, DateTimeOffset UpdatedAt)
{
    public static SavedFilterDto From(SavedFilter f, Guid? me) => new(f.Id, f.Name, f.OwnerUserId, f.OwnerName, f.Shared, f.OwnerUserId == me, PartyFilterDto.From(f.Filter), f.UpdatedAt);
}

[Description("reason: why the person's data is erased (e.g. the data subject's request of 2026-03-01); required, recorded in the audit.")]
public sealed record EraseRequest(string? Reason);

public static class SegmentationEndpoints
{
    /// <summary>The query string of GET /api/parties as a filter; bad values are 400 naming the parameter.</summary>
    public static PartyFilter ParsePartyFilter(HttpRequest request)
    {
        var q = request.Query;
        var errors = new ValidationErrors();
        Guid? segmentId = null;
        if (!string.IsNullOrWhiteSpace(q["segmentId"]))
        {
            if (Guid.TryParse(q["segmentId"], out var id)) segmentId = id;
            else errors.Add("segmentId", "segmentId must be a segment's id (GUID).");
        }
        PartyKind? kind = null;
        if (!string.IsNullOrWhiteSpace(q["kind"]))
        {
            if (Enum.TryParse<PartyKind>(q["kind"], ignoreCase: true, out var k) && Enum.IsDefined(k)) kind = k;
            else errors.Add("kind", "kind must be Company or Person.");
        }
        bool? Flag(string name)
        {
            var raw = q[name].ToString();
            if (string.IsNullOrWhiteSpace(raw)) return null;
            if (bool.TryParse(raw, out var b)) return b;
            errors.Add(name, $"{name} must be true or false.");
            return null;
        }
        var filter = new PartyFilter(q["search"], segmentId, q["tag"].Where(t => t is not null).Select(t => t!).ToList(), q["city"], q["country"], kind,
            Flag("hasOverdueDebt"), Flag("overCreditLimit"), Flag("creditBlocked"));
        errors.ThrowIfAny();
        return filter;
    }

    public static void MapSegmentationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization();

        var segments = api.MapGroup("/segments").WithTags("Segments and tags").RequireAuthorization(Policies.Sell);
        segments.MapGet("", async (SegmentationService service, CancellationToken ct) =>
            TypedResults.Ok((await service.ListSegmentsAsync(ct)).Select(SegmentDto.From).ToList())).WithSummary("The company's customer segments, by name.");
        segments.MapPost("", async (SegmentRequest request, SegmentationService service, CancellationToken ct) =>
        {
            var segment = await service.CreateSegmentAsync(request.Name, ct);
            return TypedResults.Created($"/api/segments/{segment.Id}", SegmentDto.From(segment));
        }).RequireAuthorization(Policies.ManageSegments).WithSummary("Add a segment (Admin, Manager); names are unique in any letter case.");
        segments.MapPut("/{id:guid}", async (Guid id, SegmentRequest request, SegmentationService service, CancellationToken ct) =>
            TypedResults.Ok(SegmentDto.From(await service.RenameSegmentAsync(id, request.Name, ct)))).RequireAuthorization(Policies.ManageSegments).WithSummary("Rename a segment.");
        segments.MapDelete("/{id:guid}", async (Guid id, SegmentationService service, CancellationToken ct) =>
        {
            await service.DeleteSegmentAsync(id, ct);
            return TypedResults.NoContent();
        }).RequireAuthorization(Policies.ManageSegments).WithSummary("Delete a segment no party belongs to (409 otherwise).");

        api.MapGet("/tags", async (SegmentationService service, CancellationToken ct) => TypedResults.Ok(await service.TagCountsAsync(ct)))
            .WithTags("Segments and tags").RequireAuthorization(Policies.Sell).WithSummary("Every tag in use with the number of parties carrying it.");

        var parties = api.MapGroup("/parties").WithTags("Segments and tags").RequireAuthorization(Policies.Sell);
        parties.MapGet("/{id:guid}/labels", async (Guid id, SegmentationService service, CancellationToken ct) => TypedResults.Ok(await service.LabelsAsync(id, ct)))
            .WithSummary("The party's segment and tags.");
        parties.MapPut("/{id:guid}/segment", async (Guid id, PartySegmentRequest request, SegmentationService service, CancellationToken ct) =>
            TypedResults.Ok(await service.SetSegmentAsync(id, request.SegmentId, ct))).WithSummary("Put the party into a segment (null: none).");
        parties.MapPost("/{id:guid}/tags/{tag}", async (Guid id, string tag, SegmentationService service, CancellationToken ct) =>
            TypedResults.Ok(await service.AddTagAsync(id, tag, ct))).WithSummary("Add a tag (stored lower-case, spaces become '-'); adding one twice changes nothing.");
        parties.MapDelete("/{id:guid}/tags/{tag}", async (Guid id, string tag, SegmentationService service, CancellationToken ct) =>
            TypedResults.Ok(await service.RemoveTagAsync(id, tag, ct))).WithSummary("Remove a tag; removing one the party lacks changes nothing.");

        var saved = api.MapGroup("/saved-filters").WithTags("Saved filters").RequireAuthorization(Policies.Sell);
        saved.MapGet("", async (SavedFilterService service, ICurrentActor actor, CancellationToken ct) =>
            TypedResults.Ok((await service.ListAsync(ct)).Select(f => SavedFilterDto.From(f, actor.UserId)).ToList())).WithSummary("Your saved customer-list filters and everyone's shared ones.");
        saved.MapGet("/{id:guid}", async (Guid id, SavedFilterService service, ICurrentActor actor, CancellationToken ct) =>
            TypedResults.Ok(SavedFilterDto.From(await service.GetAsync(id, ct), actor.UserId)));
        saved.MapPost("", async (SavedFilterRequest request, SavedFilterService service, ICurrentActor actor, CancellationToken ct) =>
        {
            var f = await service.CreateAsync(request.ToCommand(), ct);
            return TypedResults.Created($"/api/saved-filters/{f.Id}", SavedFilterDto.From(f, actor.UserId));
        }).WithSummary("Save a filter under a name (unique per user); shared: visible to every user.");
        saved.MapPut("/{id:guid}", async (Guid id, SavedFilterRequest request, SavedFilterService service, ICurrentActor actor, CancellationToken ct) =>
            TypedResults.Ok(SavedFilterDto.From(await service.UpdateAsync(id, request.ToCommand(), ct), actor.UserId))).WithSummary("Change your saved filter (403 for someone else's shared one).");
        saved.MapDelete("/{id:guid}", async (Guid id, SavedFilterService service, CancellationToken ct) =>
        {
            await service.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).WithSummary("Delete your saved filter.");

        var gdpr = api.MapGroup("").WithTags("Personal data (GDPR)").RequireAuthorization(Policies.ManagePersonalData);
        gdpr.MapGet("/parties/{id:guid}/personal-data", async (Guid id, bool? download, PersonalDataService service, HttpContext http, CancellationToken ct) =>
        {
            var data = await service.ExportPartyAsync(id, ct);
            if (download == true) http.Response.Headers.ContentDisposition = $"attachment; filename=\"personal-data-{id}.json\"";
            return TypedResults.Ok(data);
        }).WithSummary("Everything about a person (party of kind Person): data, contacts, documents, payments, audit entries. Audited as gdpr.export.");
        gdpr.MapPost("/parties/{id:guid}/erase", async (Guid id, EraseRequest request, PersonalDataService service, CancellationToken ct) =>
            TypedResults.Ok(await service.ErasePartyAsync(id, request.Reason, ct)))
            .WithSummary("Anonymise a person; accounting records are kept and listed with their retention date; 409 with open items or for a company. Audited as gdpr.erase.");
        gdpr.MapGet("/contacts/{id:guid}/personal-data", async (Guid id, bool? download, PersonalDataService service, HttpContext http, CancellationToken ct) =>
        {
            var data = await service.ExportContactAsync(id, ct);
            if (download == true) http.Response.Headers.ContentDisposition = $"attachment; filename=\"personal-data-{id}.json\"";
            return TypedResults.Ok(data);
        }).WithSummary("Everything about a contact person. Audited as gdpr.export.");
        gdpr.MapPost("/contacts/{id:guid}/erase", async (Guid id, EraseRequest request, PersonalDataService service, CancellationToken ct) =>
            TypedResults.Ok(await service.EraseContactAsync(id, request.Reason, ct))).WithSummary("Anonymise a contact person. Audited as gdpr.erase.");
    }
}
