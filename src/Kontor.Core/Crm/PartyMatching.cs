using Kontor.Common;
using Kontor.Crm.Duplicates;
using Kontor.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Crm;

/// <summary>What an existing customer is recognised by (a shop channel's matching order maps onto it one to one).</summary>
public enum PartyMatchKey { Email, TaxId, Phone }

/// <summary>A customer as someone outside Kontor describes it (a shop order's buyer): compared by its normalised keys (<see cref="PartyMatchKeys"/>).</summary>
public sealed record PartyMatchProbe(string? Email, TaxIdKind TaxIdKind, string? TaxId, string? Phone)
{
    /// <summary>The normalised key of one kind, null when the probe has none (that kind is then skipped).</summary>
    public string? Key(PartyMatchKey kind) => kind switch
    {
        PartyMatchKey.Email => PartyMatchKeys.Email(Email),
        PartyMatchKey.TaxId => PartyMatchKeys.Tax(TaxIdKind, TaxId),
        PartyMatchKey.Phone => PartyMatchKeys.Phone(Phone),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown match key."),
    };
}

/// <summary>
/// Recognises existing customers (docs/crm.md, "Recognising a customer"): for each key of the given order, the first
/// ACTIVE party (lowest id) whose stored key (<see cref="Party.EmailKey"/>, <see cref="Party.TaxKey"/>,
/// <see cref="Party.PhoneKey"/>) equals the probe's normalised key; the first key that finds one decides. Merged parties
/// are never found. <see cref="MatchManyAsync(IReadOnlyList{ValueTuple{PartyMatchProbe, IReadOnlyList{PartyMatchKey}}}, CancellationToken)"/>
/// answers many probes with at most one query per key kind (per <see cref="KeysPerQuery"/> keys), whatever their number.
/// </summary>
public sealed class PartyMatching(KontorDbContext db)
{
    /// <summary>Keys per IN list of one query: far below SQLite's and PostgreSQL's parameter limits.</summary>
    public const int KeysPerQuery = 500;

    /// <summary>
    /// Many probes, each with its own order of keys (deliveries of several channels): probe index → the party
    /// <see cref="MatchAsync"/> would find for it, absent when none. A key kind is read once, for every probe still
    /// unmatched that lists it, when the first probe needs it: at most one query per kind (three), fewer when the
    /// first kinds already found everyone.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, Guid>> MatchManyAsync(IReadOnlyList<(PartyMatchProbe Probe, IReadOnlyList<PartyMatchKey> Order)> probes, CancellationToken ct = default)
    {
        var found = new Dictionary<int, Guid>();
        var read = new Dictionary<PartyMatchKey, Dictionary<string, Guid>>();
        var rounds = probes.Count == 0 ? 0 : probes.Max(p => p.Order.Count);
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < probes.Count; i++)
            {
                var (probe, order) = probes[i];
                if (found.ContainsKey(i) || round >= order.Count) continue;
                var kind = order[round];
                if (probe.Key(kind) is not { } key) continue;
                if (!read.TryGetValue(kind, out var parties))
                {
                    // Every probe not yet matched that may still ask this kind: matched ones only ever leave the set.
                    var keys = probes.Where((p, j) => !found.ContainsKey(j) && p.Order.Contains(kind)).Select(p => p.Probe.Key(kind)).OfType<string>();
                    read[kind] = parties = await FirstByKeyAsync(kind, keys.Distinct(StringComparer.Ordinal).ToList(), ct);
                }
                if (parties.TryGetValue(key, out var partyId)) found[i] = partyId;
            }
        }
        return found;
    }

    /// <summary>Key → the active party with that key and the lowest id (the database's order of ids, as the single lookup had it).</summary>
    private async Task<Dictionary<string, Guid>> FirstByKeyAsync(PartyMatchKey kind, IReadOnlyList<string> keys, CancellationToken ct)
    {
        var first = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var active = db.Parties.AsNoTracking().Where(p => p.Status == PartyStatus.Active);
        for (var from = 0; from < keys.Count; from += KeysPerQuery)
        {
            var chunk = keys.Skip(from).Take(KeysPerQuery).ToList();
            var query = kind switch
            {
                PartyMatchKey.Email => active.Where(p => chunk.Contains(p.EmailKey!)).OrderBy(p => p.Id).Select(p => new { Key = p.EmailKey!, p.Id }),
                PartyMatchKey.TaxId => active.Where(p => chunk.Contains(p.TaxKey!)).OrderBy(p => p.Id).Select(p => new { Key = p.TaxKey!, p.Id }),
                PartyMatchKey.Phone => active.Where(p => chunk.Contains(p.PhoneKey!)).OrderBy(p => p.Id).Select(p => new { Key = p.PhoneKey!, p.Id }),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown match key."),
            };
            // One key (one probe): its first row is all that is needed, as the single lookup read it.
            if (chunk.Count == 1) query = query.Take(1);
            foreach (var row in await query.ToListAsync(ct)) first.TryAdd(row.Key, row.Id);
        }
        return first;
    }
}
