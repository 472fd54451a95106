using System.Runtime.InteropServices;

namespace Kontor.Banking.Matching;

/// <summary>An open receivable as the matcher sees it. <see cref="OpenAmount"/> goes down when a line settles it during a run.</summary>
public sealed class MatchableOpenItem(Guid openItemId, Guid invoiceId, Guid partyId, string? number, string currency, decimal openAmount, DateOnly? dueDate, DateOnly documentDate)
{
    public Guid OpenItemId { get; } = openItemId;
    public Guid InvoiceId { get; } = invoiceId;
    public Guid PartyId { get; } = partyId;
    public string? Number { get; } = number;
    public string Currency { get; } = currency;
    public decimal OpenAmount { get; set; } = openAmount;
    public DateOnly? DueDate { get; } = dueDate;
    public DateOnly DocumentDate { get; } = documentDate;
    public bool IsOpen => OpenAmount > 0;
}

/// <param name="Nip">Ten digits, or null.</param>
/// <param name="Ibans">Known accounts of the party, normalised by <see cref="AccountNumbers.Normalise"/>.</param>
public sealed record MatchableParty(Guid PartyId, string Name, string? Nip, IReadOnlyList<string> Ibans);

/// <summary>
/// Everything the matcher looks things up in, built once per run: open receivables by normalised invoice number,
/// by party and by (currency, amount); parties by NIP and by known IBAN. All lookups are dictionary hits, so
/// matching a line costs the same with a thousand open items as with a million. Typos are found by generating the
/// edit-distance-1 variants of a number written in a title and looking each up (see <see cref="InvoiceNumbers"/>),
/// not by indexing variants of every open number, which would multiply the memory by the length of a number.
/// </summary>
public sealed class MatchingIndex
{
    private readonly MatchableOpenItem[] items;
    private readonly Dictionary<string, int[]> byNumber;
    private readonly Dictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> numberLookup;
    private readonly Dictionary<Guid, int[]> byParty;
    private readonly Dictionary<(string Currency, decimal Amount), int[]> byAmount;
    private readonly Dictionary<string, MatchableParty[]> partiesByNip;
    private readonly Dictionary<string, MatchableParty[]> partiesByIban;
    private readonly Dictionary<Guid, MatchableParty> parties;

    /// <summary>Group counts of the indexed numbers: only windows of these lengths are looked up in a title.</summary>
    public IReadOnlyList<int> NumberShapes { get; }
    /// <summary>The company's own NIP: on money in it is the split-payment IDC, not the payer.</summary>
    public string? OwnNip { get; }

    public MatchingIndex(IReadOnlyList<MatchableOpenItem> openItems, IReadOnlyList<MatchableParty> partyList, string? ownNip)
    {
        items = [.. openItems];
        OwnNip = ownNip;
        var numbers = new Dictionary<string, List<int>>(items.Length);
        var party = new Dictionary<Guid, List<int>>();
        var amount = new Dictionary<(string, decimal), List<int>>(items.Length);
        var shapes = new HashSet<int>();
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            var key = InvoiceNumbers.Key(item.Number);
            if (key is not null)
            {
                Add(numbers, key, i);
                var groupIndex = 0;
                var groupLength = 0;
                foreach (var c in key)
                {
                    if (c == '/') { MarkLength(groupIndex++, groupLength); groupLength = 0; }
                    else groupLength++;
                }
                MarkLength(groupIndex, groupLength);
                shapes.Add(groupIndex + 1);
            }
            Add(party, item.PartyId, i);
            Add(amount, (item.Currency, item.OpenAmount), i);
        }
        byNumber = Freeze(numbers);
        numberLookup = byNumber.GetAlternateLookup<ReadOnlySpan<char>>();
        byParty = Freeze(party);
        byAmount = Freeze(amount);
        NumberShapes = [.. shapes.Order()];
        parties = partyList.ToDictionary(p => p.PartyId);
        partiesByNip = partyList.Where(p => p.Nip is { Length: 10 }).GroupBy(p => p.Nip!).ToDictionary(g => g.Key, g => g.ToArray());
        partiesByIban = partyList.SelectMany(p => p.Ibans.Select(iban => (iban, p))).GroupBy(x => x.iban)
            .ToDictionary(g => g.Key, g => g.Select(x => x.p).Distinct().ToArray());
    }

    public int OpenItemCount => items.Length;

    /// <summary>Digit counts seen at each group position of the indexed numbers (bit n = n digits): a typo variant of another length is no number.</summary>
    private readonly int[] groupLengths = new int[16];

    private void MarkLength(int position, int length)
    {
        if (position < groupLengths.Length && length < 32) groupLengths[position] |= 1 << length;
    }

    public bool GroupLengthExists(int position, int length) =>
        position < groupLengths.Length && length < 32 && (groupLengths[position] & (1 << length)) != 0;

    public MatchableParty? Party(Guid id) => parties.GetValueOrDefault(id);

    public IEnumerable<MatchableOpenItem> ByNumberKey(string key) =>
        byNumber.TryGetValue(key, out var found) ? found.Select(i => items[i]).Where(i => i.IsOpen) : [];

    public bool HasNumberKey(string key) => byNumber.ContainsKey(key);

    /// <summary>Open items under a key given as characters (no string is made for the many typo variants that are no number).</summary>
    public void CollectByNumberKey(ReadOnlySpan<char> key, List<MatchableOpenItem> into)
    {
        if (!numberLookup.TryGetValue(key, out var found)) return;
        foreach (var i in found)
            if (items[i].IsOpen) into.Add(items[i]);
    }

    public IEnumerable<MatchableOpenItem> OfParty(Guid partyId) =>
        byParty.TryGetValue(partyId, out var found) ? found.Select(i => items[i]).Where(i => i.IsOpen) : [];

    /// <summary>Open items whose open amount is <paramref name="amount"/> now (the index keeps the amount at build time, so it is checked again).</summary>
    public IEnumerable<MatchableOpenItem> WithAmount(string currency, decimal amount) =>
        byAmount.TryGetValue((currency, amount), out var found) ? found.Select(i => items[i]).Where(i => i.OpenAmount == amount) : [];

    public IReadOnlyList<MatchableParty> PartiesWithNip(string nip) => partiesByNip.TryGetValue(nip, out var p) ? p : [];

    public IReadOnlyList<MatchableParty> PartiesWithAccount(string iban) => partiesByIban.TryGetValue(iban, out var p) ? p : [];

    private static void Add<TKey>(Dictionary<TKey, List<int>> map, TKey key, int index) where TKey : notnull
    {
        ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
        (list ??= new List<int>(1)).Add(index);
    }

    private static Dictionary<TKey, int[]> Freeze<TKey>(Dictionary<TKey, List<int>> map) where TKey : notnull
    {
        var frozen = new Dictionary<TKey, int[]>(map.Count);
        foreach (var (key, list) in map) frozen[key] = [.. list];
        return frozen;
    }
}

/// <summary>Bank account numbers as the matcher compares them.</summary>
public static class AccountNumbers
{
    /// <summary>Upper case without spaces; a bare 26-digit Polish NRB gets its "PL", so a bank that omits it still matches.</summary>
    public static string? Normalise(string? account)
    {
        if (string.IsNullOrWhiteSpace(account)) return null;
        var compact = new string(account.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        if (compact.Length == 26 && compact.All(char.IsAsciiDigit)) compact = "PL" + compact;
        return compact.Length is >= 8 and <= 34 ? compact : null;
    }
}
