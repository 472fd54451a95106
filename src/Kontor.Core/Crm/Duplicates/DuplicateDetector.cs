using System.Linq.Expressions;
using Kontor.Common;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

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

    public static PartyProbe Of(PartyKeys k) => new(k.NameKey, k.CityKey, k.TaxKey, k.EmailKey, k.PhoneKey);
}

/// <summary>A party's keys as loaded for matching (a projection, not the entity).</summary>
public sealed record PartyKeys(Guid Id, string Name, string? TaxId, string? City, string NameKey, string? CityKey, string? TaxKey, string? EmailKey, string? PhoneKey)
{
    /// <summary>The keys of a party not saved yet, computed from its fields as the save will store them.</summary>
    public static PartyKeys Of(Party p) =>
        new(p.Id, p.Name, p.TaxId, p.Address.City, PartyMatchKeys.Name(p.Name), PartyMatchKeys.City(p.Address.City),
            PartyMatchKeys.Tax(p.TaxIdKind, p.TaxId), PartyMatchKeys.Email(p.Email), PartyMatchKeys.Phone(p.Phone));
}

/// <summary>
/// Finds parties a new one may duplicate: same tax identity (NIP = PL EU VAT; INN), same e-mail (any case), same phone
/// (digits, without +48/+7), or a similar normalised name in the same city (<see cref="PartyMatchKeys"/>). Merged
/// parties are not candidates. Every lookup is an index seek on the stored keys.
/// </summary>
public sealed class DuplicateDetector(KontorDbContext db)
{
    /// <summary>At most this many parties are read for one probe (a safety bound; blocks are normally a handful).</summary>
    public const int MaxCandidates = 1000;

    /// <summary>Probes per candidate query of <see cref="FindManyAsync"/>: keeps one statement's parameters (up to ≈ 10 per probe: EF 10 sends each IN list as one parameter per value) far below SQLite's and PostgreSQL's limits.</summary>
    public const int ProbesPerQuery = 100;

    public async Task<IReadOnlyList<DuplicateCandidate>> FindAsync(PartyProbe probe, Guid? excludingPartyId = null, CancellationToken ct = default)
    {
        var found = (await FindCoreAsync([(probe, null)], ct))[0];
        return excludingPartyId is null ? found : found.Where(c => c.PartyId != excludingPartyId).ToList();
    }

    /// <summary>
    /// The duplicate check of several new parties at once (<see cref="PartyService.CreateManyCheckedAsync"/>), in the
    /// order they will be saved: for each, exactly what <see cref="FindAsync"/> reports had the earlier ones already been
    /// saved — an earlier party of the batch is a candidate of a later one, as rows of a CSV import are. The candidates of
    /// all of them are read in one query per <see cref="ProbesPerQuery"/> parties, then matched in memory.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<DuplicateCandidate>>> FindManyAsync(IReadOnlyList<PartyKeys> newParties, CancellationToken ct = default) =>
        await FindCoreAsync([.. newParties.Select(p => (PartyProbe.Of(p), (PartyKeys?)p))], ct);

    private async Task<IReadOnlyList<IReadOnlyList<DuplicateCandidate>>> FindCoreAsync(IReadOnlyList<(PartyProbe Probe, PartyKeys? Self)> probes, CancellationToken ct)
    {
        var rows = new List<PartyKeys>();
        var seen = new HashSet<Guid>();
        for (var from = 0; from < probes.Count; from += ProbesPerQuery)
            foreach (var row in await CandidatesAsync(probes.Skip(from).Take(ProbesPerQuery).Select(p => p.Probe).ToList(), ct))
                if (seen.Add(row.Id)) rows.Add(row);
        var index = new DuplicateIndex(rows, blockNamesByLongWords: true);
        var results = new List<IReadOnlyList<DuplicateCandidate>>(probes.Count);
        foreach (var (probe, self) in probes)
        {
            results.Add(index.Find(probe));
            // Saved before the next one: it is the next one's candidate as if it had been committed.
            if (self is not null) index.Add(self);
        }
        return results;
    }

    /// <summary>
    /// One query for the candidates of some probes: the union of what each probe's keys select. Absent keys become a
    /// value no row holds, so the OR query stays a set of index seeks. Similar names are looked for only among the
    /// parties of the same city sharing one of the name's block words (PartyMatchKeys.NameBlockWords, stored as
    /// NameWord1/NameWord2 and indexed with CityKey) — the same blocking as the import — so the rows read do not grow
    /// with the size of the city. For several probes each city is paired with its own probes' words only: with one list
    /// of cities and one of words, a batch read every party of one probe's city holding another probe's word (all the
    /// "Anna"s of Kraków for an Anna in Gdańsk), and under the shared cap those could push a real look-alike out.
    /// </summary>
    private async Task<List<PartyKeys>> CandidatesAsync(IReadOnlyList<PartyProbe> probes, CancellationToken ct)
    {
        const string none = "\u0001";
        static List<string> OrNone(IEnumerable<string?> keys)
        {
            var list = keys.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            return list.Count == 0 ? [none] : list;
        }
        var taxes = OrNone(probes.Select(p => p.TaxKey));
        var emails = OrNone(probes.Select(p => p.EmailKey));
        var phones = OrNone(probes.Select(p => p.PhoneKey));
        Expression<Func<Party, bool>> match = p => taxes.Contains(p.TaxKey!) || emails.Contains(p.EmailKey!) || phones.Contains(p.PhoneKey!);
        foreach (var city in probes.Where(p => !string.IsNullOrEmpty(p.NameKey) && p.CityKey is not null).GroupBy(p => p.CityKey!, StringComparer.Ordinal))
        {
            var cityKey = city.Key;
            var words = city.SelectMany(p => PartyMatchKeys.NameBlockWords(p.NameKey)).Distinct(StringComparer.Ordinal).ToList();
            if (words.Count > 0)
                // Two OR terms, each a seek on its (CityKey, NameWordN) index; one term with an inner OR would scan the city.
                match = Or(match, p => (p.CityKey == cityKey && words.Contains(p.NameWord1!)) || (p.CityKey == cityKey && words.Contains(p.NameWord2!)));
        }
        var query = db.Parties.AsNoTracking().Where(p => p.Status == PartyStatus.Active).Where(match);
        return await query.OrderBy(p => p.Id).Take(MaxCandidates * probes.Count)
            .Select(p => new PartyKeys(p.Id, p.Name, p.TaxId, p.Address.City, p.NameKey, p.CityKey, p.TaxKey, p.EmailKey, p.PhoneKey)).ToListAsync(ct);
    }

    /// <summary>
    /// <paramref name="left"/> OR <paramref name="right"/> over one parameter. Both are lambdas over captured locals, so
    /// EF sends their values as parameters (one cached query shape per number of cities, not per city).
    /// </summary>
    private static Expression<Func<Party, bool>> Or(Expression<Func<Party, bool>> left, Expression<Func<Party, bool>> right) =>
        Expression.Lambda<Func<Party, bool>>(
            Expression.OrElse(left.Body, ReplacingExpressionVisitor.Replace(right.Parameters[0], left.Parameters[0], right.Body)), left.Parameters[0]);
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
            // Then by id (the order the candidates were read in), so that a party added to the index ranks as it would read from the database.
            .ThenBy(f => f.Party.Id)
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
