using System.Runtime.InteropServices;

namespace Kontor.Banking.Matching;

/// <summary>An open receivable (or, for money out, an open payable: InvoiceId is then the purchase invoice and Number the supplier's number) as the matcher sees it. <see cref="OpenAmount"/> goes down when a line settles it during a run.</summary>
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
    // Each dictionary holds the first item of a key; next* arrays chain the others (no list per key: a million open items
    // would otherwise be three million small arrays).
    private readonly MatchableOpenItem[] items;
    private readonly Dictionary<string, int> byNumber;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> numberLookup;
    private readonly int[] nextByNumber;
    private readonly Dictionary<Guid, int> byParty;
    private readonly int[] nextByParty;
    private readonly Dictionary<(string Currency, decimal Amount), int> byAmount;
    private readonly int[] nextByAmount;
    private readonly Dictionary<string, MatchableParty[]> partiesByNip;
    private readonly Dictionary<string, MatchableParty[]> partiesByIban;
    private readonly Dictionary<Guid, MatchableParty> parties;

    /// <summary>Group counts of the indexed numbers: only windows of these lengths are looked up in a title.</summary>
    public IReadOnlyList<int> NumberShapes { get; }
    /// <summary>The company's own NIP: on money in it is the split-payment IDC, not the payer.</summary>
    public string? OwnNip { get; }
    /// <summary>
    /// Which lines the indexed items answer: Credit (money in) for receivables, Debit (money out) for payables. The matcher
    /// reads both the same way — the counterparty is the payer of a receivable or the payee of a payable.
    /// </summary>
    public BankLineDirection Direction { get; }

    public MatchingIndex(IReadOnlyList<MatchableOpenItem> openItems, IReadOnlyList<MatchableParty> partyList, string? ownNip,
        BankLineDirection direction = BankLineDirection.Credit)
    {
        items = [.. openItems];
        OwnNip = ownNip;
        Direction = direction;
        byNumber = new Dictionary<string, int>(items.Length);
        byParty = new Dictionary<Guid, int>();
        byAmount = new Dictionary<(string, decimal), int>();
        nextByNumber = new int[items.Length];
        nextByParty = new int[items.Length];
        nextByAmount = new int[items.Length];
        var shapes = new HashSet<int>();
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            var key = InvoiceNumbers.Key(item.Number);
            nextByNumber[i] = -1;
            if (key is not null)
            {
                Chain(byNumber, nextByNumber, key, i);
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
            Chain(byParty, nextByParty, item.PartyId, i);
            Chain(byAmount, nextByAmount, (item.Currency, item.OpenAmount), i);
        }
        numberLookup = byNumber.GetAlternateLookup<ReadOnlySpan<char>>();
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
        byNumber.TryGetValue(key, out var first) ? Open(first, nextByNumber) : [];

    public bool HasNumberKey(string key) => byNumber.ContainsKey(key);

    /// <summary>Open items under a key given as characters (no string is made for the many typo variants that are no number).</summary>
    public void CollectByNumberKey(ReadOnlySpan<char> key, List<MatchableOpenItem> into)
    {
        if (!numberLookup.TryGetValue(key, out var i)) return;
        for (; i >= 0; i = nextByNumber[i])
            if (items[i].IsOpen) into.Add(items[i]);
    }

    public IEnumerable<MatchableOpenItem> OfParty(Guid partyId) =>
        byParty.TryGetValue(partyId, out var first) ? Open(first, nextByParty) : [];

    /// <summary>Open items whose open amount is <paramref name="amount"/> now (the index keeps the amount at build time, so it is checked again).</summary>
    public IEnumerable<MatchableOpenItem> WithAmount(string currency, decimal amount) =>
        byAmount.TryGetValue((currency, amount), out var first) ? Open(first, nextByAmount).Where(i => i.OpenAmount == amount) : [];

    /// <summary>Lazily: a common amount (99.00) may have tens of thousands of items, and callers take a few.</summary>
    private IEnumerable<MatchableOpenItem> Open(int first, int[] next)
    {
        for (var i = first; i >= 0; i = next[i])
            if (items[i].IsOpen) yield return items[i];
    }

    private static void Chain<TKey>(Dictionary<TKey, int> heads, int[] next, TKey key, int index) where TKey : notnull
    {
        ref var head = ref CollectionsMarshal.GetValueRefOrAddDefault(heads, key, out var exists);
        next[index] = exists ? head : -1;
        head = index;
    }

    public IReadOnlyList<MatchableParty> PartiesWithNip(string nip) => partiesByNip.TryGetValue(nip, out var p) ? p : [];

    public IReadOnlyList<MatchableParty> PartiesWithAccount(string iban) => partiesByIban.TryGetValue(iban, out var p) ? p : [];
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
