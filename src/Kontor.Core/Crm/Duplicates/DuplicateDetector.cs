using Kontor.Common;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm.Duplicates;

public enum DuplicateReason { TaxId, Email, Phone, NameAndCity }

/// <summary>An existing party the new one may duplicate, and why.</summary>
public sealed record DuplicateCandidate(Guid PartyId, string Name, string? TaxId, string? City, IReadOnlyList<DuplicateReason> Reasons)
{
    public bool SameTaxId => Reasons.Contains(DuplicateReason.TaxId);
}

/// <summary>What is compared: the keys of a party not yet saved (or of an import row).</summary>
public sealed record PartyProbe(string? NameKey, string? CityKey, string? TaxKey, string? EmailKey, string? PhoneKey)
{
    public static PartyProbe Of(string? name, string? city, TaxIdKind taxIdKind, string? taxId, string? email, string? phone) =>
        new(PartyMatchKeys.Name(name), PartyMatchKeys.City(city), PartyMatchKeys.Tax(taxIdKind, taxId), PartyMatchKeys.Email(email), PartyMatchKeys.Phone(phone));

    public static PartyProbe Of(Party p) =>
        Of(p.Name, p.Address.City, p.TaxIdKind, p.TaxId, p.Email, p.Phone);
}

/// <summary>A party's keys as loaded for matching (a projection, not the entity).</summary>
public sealed record PartyKeys(Guid Id, string Name, string? TaxId, string? City, string NameKey, string? CityKey, string? TaxKey, string? EmailKey, string? PhoneKey);

/// <summary>
/// Finds parties a new one may duplicate: same tax identity (NIP = PL EU VAT; INN), same e-mail (any case), same phone
/// (digits, without +48/+7), or a similar normalised name in the same city (<see cref="PartyMatchKeys"/>). Merged
/// parties are not candidates. Every lookup is an index seek on the stored keys.
/// </summary>
public sealed class DuplicateDetector(KontorDbContext db)
{
    /// <summary>At most this many parties are read for one probe (a safety bound; blocks are normally a handful).</summary>
    public const int MaxCandidates = 1000;

    public async Task<IReadOnlyList<DuplicateCandidate>> FindAsync(PartyProbe probe, Guid? excludingPartyId = null, CancellationToken ct = default)
    {
        // Absent keys become a value no row holds, so the one OR query stays a set of index seeks. Similar names are
        // looked for only among the parties of the same city sharing one of the name's block words
        // (PartyMatchKeys.NameBlockWords, stored as NameWord1/NameWord2 and indexed with CityKey) — the same blocking
        // as the import — so the rows read do not grow with the size of the city.
        const string none = "\u0001";
        var tax = probe.TaxKey ?? none;
        var email = probe.EmailKey ?? none;
        var phone = probe.PhoneKey ?? none;
        var city = string.IsNullOrEmpty(probe.NameKey) ? none : probe.CityKey ?? none;
        var words = PartyMatchKeys.NameBlockWords(probe.NameKey);
        var w1 = words.Count > 0 ? words[0] : none;
        var w2 = words.Count > 1 ? words[1] : w1;
        var query = db.Parties.AsNoTracking()
            .Where(p => p.Status == PartyStatus.Active
                        && (p.TaxKey == tax || p.EmailKey == email || p.PhoneKey == phone
                            || (p.CityKey == city && (p.NameWord1 == w1 || p.NameWord1 == w2))
                            || (p.CityKey == city && (p.NameWord2 == w1 || p.NameWord2 == w2))));
        var rows = await query.OrderBy(p => p.Id).Take(MaxCandidates)
            .Select(p => new PartyKeys(p.Id, p.Name, p.TaxId, p.Address.City, p.NameKey, p.CityKey, p.TaxKey, p.EmailKey, p.PhoneKey)).ToListAsync(ct);
        var index = new DuplicateIndex(rows, blockNamesByLongWords: true);
        return index.Find(probe).Where(c => c.PartyId != excludingPartyId).ToList();
    }
}

/// <summary>
/// Matching over keys held in memory: used as is for one probe, and by the import, which loads every party's keys once
/// and adds each imported row (so duplicates within the file are found too) instead of querying per row.
/// </summary>
public sealed class DuplicateIndex
{
    private readonly Dictionary<string, List<PartyKeys>> byTax = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PartyKeys>> byEmail = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PartyKeys>> byPhone = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PartyKeys>> byCity = new(StringComparer.Ordinal);
    // For big sets similar names are only compared within the same city AND sharing one of the name's block words
    // (PartyMatchKeys.NameBlockWords — the same blocking the duplicate check selects its candidates by in SQL): this
    // keeps an import of 50,000 rows to a few dozen comparisons per row instead of every party of the city.
    private readonly bool blockNamesByLongWords;

    public DuplicateIndex(IEnumerable<PartyKeys> parties, bool blockNamesByLongWords)
    {
        this.blockNamesByLongWords = blockNamesByLongWords;
        foreach (var p in parties) Add(p);
    }

    public void Add(PartyKeys p)
    {
        AddTo(byTax, p.TaxKey, p);
        AddTo(byEmail, p.EmailKey, p);
        AddTo(byPhone, p.PhoneKey, p);
        if (p.CityKey is not null && p.NameKey.Length > 0)
            foreach (var block in NameBlocks(p.CityKey, p.NameKey)) AddTo(byCity, block, p);
    }

    public IReadOnlyList<DuplicateCandidate> Find(PartyProbe probe)
    {
        var found = new Dictionary<Guid, (PartyKeys Party, List<DuplicateReason> Reasons)>();
        void Note(IEnumerable<PartyKeys>? parties, DuplicateReason reason, Func<PartyKeys, bool>? filter = null)
        {
            if (parties is null) return;
            foreach (var p in parties)
            {
                if (filter is not null && !filter(p)) continue;
                if (!found.TryGetValue(p.Id, out var f)) found[p.Id] = f = (p, []);
                if (!f.Reasons.Contains(reason)) f.Reasons.Add(reason);
            }
        }
        if (probe.TaxKey is not null) Note(byTax.GetValueOrDefault(probe.TaxKey), DuplicateReason.TaxId);
        if (probe.EmailKey is not null) Note(byEmail.GetValueOrDefault(probe.EmailKey), DuplicateReason.Email);
        if (probe.PhoneKey is not null) Note(byPhone.GetValueOrDefault(probe.PhoneKey), DuplicateReason.Phone);
        if (probe.CityKey is not null && !string.IsNullOrEmpty(probe.NameKey))
        {
            var compared = new HashSet<Guid>();
            foreach (var block in NameBlocks(probe.CityKey, probe.NameKey))
                Note(byCity.GetValueOrDefault(block), DuplicateReason.NameAndCity,
                    p => compared.Add(p.Id) && PartyMatchKeys.SimilarNames(p.NameKey, probe.NameKey));
        }
        return found.Values
            .OrderBy(f => f.Reasons.Contains(DuplicateReason.TaxId) ? 0 : 1).ThenByDescending(f => f.Reasons.Count).ThenBy(f => f.Party.Name, StringComparer.Ordinal)
            .Select(f => new DuplicateCandidate(f.Party.Id, f.Party.Name, f.Party.TaxId, f.Party.City, f.Reasons.Order().ToList()))
            .ToList();
    }

    private IEnumerable<string> NameBlocks(string city, string nameKey)
    {
        if (!blockNamesByLongWords) { yield return city; yield break; }
        foreach (var w in PartyMatchKeys.NameBlockWords(nameKey)) yield return city + "|" + w;
    }

    private static void AddTo(Dictionary<string, List<PartyKeys>> map, string? key, PartyKeys p)
    {
        if (key is null) return;
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(p);
    }
}
