using System.Text.Json;
using System.Text.Json.Serialization;
using Kontor.Common;
using Kontor.Company;
using Kontor.CustomerCard;
using Kontor.Ledger;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Segmentation;

/// <summary>
/// What the customer list is filtered by; every criterion given must hold (AND). Tags: the party carries all of them.
/// The three money flags come from <see cref="CustomerOverviewQuery"/> and <see cref="Credit.CreditControl"/>, the same
/// figures the customer card shows. There is no owner on a party yet, so no owner criterion.
/// </summary>
public sealed record PartyFilter(
    string? Search = null,
    Guid? SegmentId = null,
    IReadOnlyList<string>? Tags = null,
    string? City = null,
    string? Country = null,
    PartyKind? Kind = null,
    bool? HasOverdueDebt = null,
    bool? OverCreditLimit = null,
    bool? CreditBlocked = null)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Any criterion besides the search text.</summary>
    [JsonIgnore]
    public bool HasCriteria => SegmentId is not null || (Tags?.Count ?? 0) > 0 || !string.IsNullOrWhiteSpace(City) || !string.IsNullOrWhiteSpace(Country)
        || Kind is not null || UsesMoneyFlags;

    [JsonIgnore]
    public bool UsesMoneyFlags => HasOverdueDebt is not null || OverCreditLimit is not null || CreditBlocked is not null;

    /// <summary>Trimmed, tags normalised and de-duplicated, blanks dropped: two equal filters serialise the same.</summary>
    public PartyFilter Normalize(string fieldPrefix = "")
    {
        var errors = new ValidationErrors();
        var tags = new List<string>();
        foreach (var tag in Tags ?? [])
        {
            if (string.IsNullOrWhiteSpace(tag)) continue;
            var t = errors.Try(() => SegmentationService.NormalizeTag(tag, fieldPrefix + "tags"));
            if (t is not null && !tags.Contains(t)) tags.Add(t);
        }
        var country = Blank(Country)?.ToUpperInvariant();
        errors.Require(country is null || (country.Length == 2 && country.All(char.IsAsciiLetterUpper)), fieldPrefix + "country", "country must be a two-letter ISO 3166 code.");
        errors.Require(Kind is null || Enum.IsDefined(Kind.Value), fieldPrefix + "kind", "kind must be Company or Person.");
        errors.Require((Search?.Length ?? 0) <= 200, fieldPrefix + "search", "search must be at most 200 characters.");
        errors.Require((City?.Length ?? 0) <= 100, fieldPrefix + "city", "city must be at most 100 characters.");
        errors.ThrowIfAny();
        return this with
        {
            Search = Blank(Search), City = Blank(City), Country = country,
            Tags = tags.Count == 0 ? null : tags.Order(StringComparer.Ordinal).ToList(),
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PartyFilter FromJson(string json) => JsonSerializer.Deserialize<PartyFilter>(json, Json) ?? new PartyFilter();

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public sealed record PartyListRow(Guid Id, PartyKind Kind, string Name, string? TaxId, string? City, string CountryCode, string? Email,
    Guid? SegmentId, string? Segment, IReadOnlyList<string> Tags);

public sealed record PartyListPage(IReadOnlyList<PartyListRow> Items, int Total, int Skip, int Take);

/// <summary>The customer list: parties matching a <see cref="PartyFilter"/>, by name, a page at a time.</summary>
public sealed class PartyListQuery(KontorDbContext db, BusinessCalendar calendar, CustomerOverviewQuery overviews, Credit.CreditControl credit)
{
    public const int MaxTake = 500;

    /// <summary>The search of the foundation's list: name (any case), tax id digits or e-mail.</summary>
    public static IQueryable<Party> WhereMatches(IQueryable<Party> query, string? search)
    {
        if (string.IsNullOrWhiteSpace(search)) return query;
        var term = search.Trim();
        var lower = term.ToLower();
        var digits = new string(term.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        // A term of punctuation only ("#", "-") leaves no letters or digits, and every tax id contains the empty string.
        if (digits.Length == 0) return query.Where(p => p.Name.ToLower().Contains(lower) || (p.Email != null && p.Email.Contains(lower)));
        return query.Where(p => p.Name.ToLower().Contains(lower) || (p.TaxId != null && p.TaxId.Contains(digits)) || (p.Email != null && p.Email.Contains(lower)));
    }

    public async Task<PartyListPage> ListAsync(PartyFilter filter, int skip = 0, int take = 100, CancellationToken ct = default)
    {
        var f = filter.Normalize();
        skip = Math.Max(0, skip);
        take = Math.Clamp(take, 1, MaxTake);
        var query = WhereMatches(db.Parties.AsNoTracking().Where(p => p.Status == PartyStatus.Active), f.Search);
        if (f.SegmentId is { } segmentId) query = query.Where(p => p.SegmentId == segmentId);
        foreach (var tag in f.Tags ?? [])
            query = query.Where(p => db.Set<PartyTag>().Any(t => t.Tag == tag && t.PartyId == p.Id));
        if (f.City is { } city)
        {
            var lowerCity = city.ToLower();
            query = query.Where(p => p.Address.City != null && p.Address.City.ToLower() == lowerCity);
        }
        if (f.Country is { } country) query = query.Where(p => p.Address.CountryCode == country);
        if (f.Kind is { } kind) query = query.Where(p => p.Kind == kind);

        List<Guid> pageIds;
        int total;
        if (!f.UsesMoneyFlags)
        {
            total = await query.CountAsync(ct);
            pageIds = await query.OrderBy(p => p.Name).ThenBy(p => p.Id).Skip(skip).Take(take).Select(p => p.Id).ToListAsync(ct);
        }
        else
        {
            // Narrow in SQL by what each flag needs (an overdue open receivable, a credit limit), then ask the card's
            // figures for the remaining candidates, so the list and the card never disagree.
            var today = calendar.Today();
            var overdueParties = db.OpenItems.Where(o => o.Side == OpenItemSide.Receivable && o.OpenAmount > 0 && o.DueDate != null && o.DueDate < today).Select(o => o.PartyId);
            if (f.HasOverdueDebt == true) query = query.Where(p => overdueParties.Contains(p.Id));
            if (f.OverCreditLimit == true) query = query.Where(p => p.CreditLimit != null);
            if (f.CreditBlocked == true) query = query.Where(p => p.CreditLimit != null || overdueParties.Contains(p.Id));
            var candidates = await query.OrderBy(p => p.Name).ThenBy(p => p.Id).Select(p => p.Id).ToListAsync(ct);
            var matching = new List<Guid>();
            foreach (var id in candidates)
                if (await MatchesMoneyFlagsAsync(id, f, ct)) matching.Add(id);
            total = matching.Count;
            pageIds = matching.Skip(skip).Take(take).ToList();
        }
        return new PartyListPage(await RowsAsync(pageIds, ct), total, skip, take);
    }

    private async Task<bool> MatchesMoneyFlagsAsync(Guid partyId, PartyFilter f, CancellationToken ct)
    {
        var overview = await overviews.GetAsync(partyId, ct);
        if (f.HasOverdueDebt is { } overdue && overview.DaysOverdue > 0 != overdue) return false;
        if (f.OverCreditLimit is { } over && overview.AvailableCredit < 0 != over) return false;
        if (f.CreditBlocked is { } blocked && (await credit.ForNextSaleAsync(overview.CreditFigures, ct)).Blocked != blocked) return false;
        return true;
    }

    private async Task<IReadOnlyList<PartyListRow>> RowsAsync(List<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var parties = await db.Parties.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.Kind, p.Name, p.TaxId, p.Address.City, p.Address.CountryCode, p.Email, p.SegmentId })
            .ToListAsync(ct);
        var segments = await db.Set<Segment>().AsNoTracking().ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var tags = (await db.Set<PartyTag>().AsNoTracking().Where(t => ids.Contains(t.PartyId)).Select(t => new { t.PartyId, t.Tag }).ToListAsync(ct))
            .ToLookup(t => t.PartyId, t => t.Tag);
        var byId = parties.ToDictionary(p => p.Id);
        return ids.Select(id => byId[id]).Select(p => new PartyListRow(p.Id, p.Kind, p.Name, p.TaxId, p.City, p.CountryCode, p.Email,
            p.SegmentId, p.SegmentId is { } s && segments.TryGetValue(s, out var name) ? name : null,
            tags[p.Id].Order(StringComparer.Ordinal).ToList())).ToList();
    }
}
