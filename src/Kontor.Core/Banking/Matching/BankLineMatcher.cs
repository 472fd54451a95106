using System.Text.RegularExpressions;
using Kontor.Common;

namespace Kontor.Banking.Matching;

/// <summary>What the matcher reads of a statement line.</summary>
public sealed record MatchableLine(
    decimal Amount, string Currency, BankLineDirection Direction, bool IsReversal, string? Title,
    string? CounterpartyName, string? CounterpartyAccount, string? CounterpartyNip, string? SplitPaymentInvoice)
{
    public static MatchableLine From(BankStatementLine l) => new(l.Amount, l.Currency, l.Direction, l.IsReversal, l.Title,
        l.CounterpartyName, l.CounterpartyAccount, l.CounterpartyNip, l.SplitPaymentInvoice);
}

/// <summary>One open item a suggestion settles, and how much of it.</summary>
public sealed record SuggestedAllocation(Guid InvoiceId, Guid OpenItemId, string? Number, decimal Amount, decimal OpenAmount);

/// <summary>
/// A proposal: the payer and the invoices the line pays (empty = a payment on account). <see cref="Unallocated"/> is
/// what would stay as the party's credit. Confidence 0–1; <see cref="Reasons"/> are codes from <see cref="MatchReasons"/>.
/// </summary>
public sealed record MatchSuggestion(Guid PartyId, string PartyName, IReadOnlyList<SuggestedAllocation> Allocations, decimal Unallocated,
    decimal Confidence, IReadOnlyList<string> Reasons);

/// <param name="IsExact">The best suggestion is certain enough to be posted without a person (see <see cref="BankLineMatcher.AutoThreshold"/>).</param>
public sealed record MatchOutcome(IReadOnlyList<MatchSuggestion> Suggestions, bool IsExact)
{
    public static readonly MatchOutcome None = new([], false);
    public MatchSuggestion? Best => Suggestions.Count > 0 ? Suggestions[0] : null;
}

/// <summary>Why a suggestion was made; the UI translates the codes.</summary>
public static class MatchReasons
{
    public const string InvoiceNumber = "invoice-number";
    public const string InvoiceNumberTypo = "invoice-number-typo";
    public const string SeveralInvoices = "several-invoices";
    public const string SplitPayment = "split-payment-invoice";
    public const string AmountsAddUp = "amounts-add-up";
    public const string AmountEqual = "amount-equal";
    public const string PaysAllOpen = "pays-all-open";
    public const string PartialPayment = "partial-payment";
    public const string Overpayment = "overpayment";
    public const string NipOfPayer = "nip-of-payer";
    public const string NipInTitle = "nip-in-title";
    public const string IbanKnown = "iban-known";
    public const string PayerDiffers = "payer-differs";
    public const string Ambiguous = "ambiguous";
    public const string OnAccount = "on-account";
    public const string NameMatches = "name-matches";

    public static readonly IReadOnlyList<string> All =
        [InvoiceNumber, InvoiceNumberTypo, SeveralInvoices, SplitPayment, AmountsAddUp, AmountEqual, PaysAllOpen, PartialPayment, Overpayment,
         NipOfPayer, NipInTitle, IbanKnown, PayerDiffers, Ambiguous, OnAccount, NameMatches];
}

/// <summary>
/// Finds the open receivables an incoming bank line pays, or the open payables (supplier invoices, by the supplier's
/// own number) an outgoing line pays: the same rules both ways, the index says which side it holds
/// (<see cref="MatchingIndex.Direction"/>); on money out the "payer" found by NIP or IBAN is the payee. Pure and allocation-light: everything is a dictionary
/// lookup in a <see cref="MatchingIndex"/>. Rules and scores (docs/banking.md, "Matching"):
/// <list type="bullet">
/// <item>Invoice numbers in the title and the split-payment INV field, compared by key (<see cref="InvoiceNumbers"/>);
/// the numbers found must belong to one party, be in the line's currency and their open amounts must add up to the
/// line amount exactly: 0.99. A number read with a typo (edit distance 1, tried only when the exact numbers do not add
/// up) costs 0.03, a number found in the title but left out of the sum costs 0.03.</item>
/// <item>The payer's only open item with exactly the line amount, the payer known by NIP or by an IBAN on the party: 0.95.</item>
/// <item>Anything else is a suggestion below the automatic threshold: numbers that do not add up (partial or over
/// payment, 0.7–0.8), a payer other than the invoices' party (0.7), several equally good answers (0.6), the amount
/// alone (0.4, or 0.25 when a few items have it), a known payer without invoices (on account, 0.5).</item>
/// </list>
/// A line is matched automatically when its best suggestion reaches <see cref="AutoThreshold"/> and no other
/// suggestion reaches <see cref="RivalThreshold"/>.
/// </summary>
public static partial class BankLineMatcher
{
    public const decimal AutoThreshold = 0.95m;
    public const decimal RivalThreshold = 0.90m;
    private const int MaxTokens = 8;
    private const int MaxCandidatesPerToken = 12;
    private const int MaxSuggestions = 5;
    private const int MaxCombinations = 4096;

    private sealed record Token(string Key, bool FromSplitPayment, List<(MatchableOpenItem Item, bool Fuzzy)> Candidates);
    private sealed record Solution(Guid PartyId, List<(MatchableOpenItem Item, bool Fuzzy, int Token)> Items, int Used, int Fuzzy);

    public static MatchOutcome Match(MatchableLine line, MatchingIndex index)
    {
        if (line.Direction != index.Direction || line.IsReversal || line.Amount <= 0) return MatchOutcome.None;
        var payer = IdentifyPayer(line, index);
        var suggestions = new List<MatchSuggestion>();

        var runs = InvoiceNumbers.Runs(line.SplitPaymentInvoice);
        var splitRuns = runs.Count;
        runs.AddRange(InvoiceNumbers.Runs(line.Title));
        var windows = index.NumberShapes.Count == 0 ? [] : InvoiceNumbers.Windows(runs, index.NumberShapes).ToList();
        var exactTokens = ExactTokens(windows, splitRuns, line.Currency, index, out var taken);

        var solutions = Solve(exactTokens, line.Amount);
        var tokens = exactTokens;
        if (solutions.Count == 0 && windows.Count > 0)
        {
            tokens = WithTypos(exactTokens, windows, taken, splitRuns, line.Currency, index);
            solutions = Solve(tokens, line.Amount);
        }
        var exactHits = exactTokens.Count(t => t.Candidates.Count > 0);
        if (solutions.Count > 0)
            suggestions.AddRange(FromSolutions(solutions, tokens, exactTokens, payer, line, index));
        else if (exactHits > 0)
            suggestions.AddRange(PartialOrOver(exactTokens, payer, line, index));

        // Invoice numbers that add up for the payer settle it; the payer's other items would only be weaker rivals.
        var settledByNumbers = suggestions.Any(s => s.Confidence >= AutoThreshold);
        if (!settledByNumbers)
            foreach (var (partyId, reasons) in payer.Take(3))
                suggestions.AddRange(FromPayer(partyId, reasons, titleHasNumbers: exactHits > 0, suggestions, line, index));
        if (payer.Count == 0 && suggestions.Count == 0)
            suggestions.AddRange(FromAmountAlone(line, index));

        var ranked = suggestions
            .GroupBy(s => (s.PartyId, string.Join(',', s.Allocations.Select(a => a.OpenItemId).Order())))
            .Select(g => g.MaxBy(s => s.Confidence)! with { Reasons = g.SelectMany(s => s.Reasons).Distinct().ToList() })
            .OrderByDescending(s => s.Confidence).ThenBy(s => s.Allocations.Count == 0).ThenBy(s => s.PartyName, StringComparer.Ordinal)
            .Take(MaxSuggestions).ToList();
        var exact = ranked.Count > 0 && ranked[0].Confidence >= AutoThreshold && (ranked.Count == 1 || ranked[1].Confidence < RivalThreshold);
        return new MatchOutcome(ranked, exact);
    }

    /// <summary>Numbers written in the text that are open numbers as written (after normalisation), left to right, not overlapping.</summary>
    private static List<Token> ExactTokens(List<NumberWindow> windows, int splitRuns, string currency, MatchingIndex index, out List<NumberWindow> taken)
    {
        taken = [];
        var tokens = new List<Token>();
        var keys = new HashSet<string>();
        foreach (var w in windows.OrderBy(w => w.Run).ThenBy(w => w.Start).ThenByDescending(w => w.Length))
        {
            if (tokens.Count >= MaxTokens) break;
            if (Overlaps(taken, w) || !index.HasNumberKey(w.Key)) continue;
            taken.Add(w);
            if (!keys.Add(w.Key)) continue;
            var candidates = index.ByNumberKey(w.Key).Where(i => i.Currency == currency).Take(MaxCandidatesPerToken).Select(i => (i, false)).ToList();
            tokens.Add(new Token(w.Key, w.Run < splitRuns, candidates));
        }
        return tokens;
    }

    /// <summary>
    /// The exact tokens with their typo neighbours added (a payer who mistyped a digit may have written another
    /// existing number), plus the other windows of the text read with one typo.
    /// </summary>
    private static List<Token> WithTypos(List<Token> exactTokens, List<NumberWindow> windows, List<NumberWindow> taken, int splitRuns, string currency, MatchingIndex index)
    {
        var tokens = exactTokens.Select(t => t with { Candidates = [.. t.Candidates, .. Neighbours(t.Key, currency, index)] }).ToList();
        var keys = new HashSet<string>(tokens.Select(t => t.Key));
        foreach (var w in windows)
        {
            if (tokens.Count >= MaxTokens) break;
            if (Overlaps(taken, w) || !keys.Add(w.Key)) continue;
            var candidates = Neighbours(w.Key, currency, index);
            if (candidates.Count > 0) tokens.Add(new Token(w.Key, w.Run < splitRuns, candidates));
        }
        return tokens;
    }

    private static List<(MatchableOpenItem, bool)> Neighbours(string key, string currency, MatchingIndex index)
    {
        var hits = new List<MatchableOpenItem>();
        InvoiceNumbers.VisitVariants(key, variant => index.CollectByNumberKey(variant, hits), index.GroupLengthExists);
        var found = new List<(MatchableOpenItem, bool)>(hits.Count);
        var seen = new HashSet<Guid>();
        foreach (var item in hits)
            if (item.Currency == currency && seen.Add(item.OpenItemId)) found.Add((item, true));
        return found;
    }

    private static bool Overlaps(List<NumberWindow> taken, NumberWindow w) =>
        taken.Any(t => t.Run == w.Run && t.Start < w.Start + w.Length && w.Start < t.Start + t.Length);

    /// <summary>
    /// Every choice of one candidate (or none) per token, per party, whose open amounts add up to the line amount
    /// exactly. Numbers of different parties never combine: one transfer pays one party.
    /// </summary>
    private static List<Solution> Solve(List<Token> tokens, decimal amount)
    {
        var solutions = new List<Solution>();
        if (tokens.Count == 0) return solutions;
        // Candidates per party and token, in one pass (typo neighbours of a dense series belong to a hundred parties).
        var byParty = new Dictionary<Guid, List<(MatchableOpenItem Item, bool Fuzzy)>[]>();
        for (var t = 0; t < tokens.Count; t++)
            foreach (var candidate in tokens[t].Candidates)
            {
                if (!byParty.TryGetValue(candidate.Item.PartyId, out var lists))
                    byParty[candidate.Item.PartyId] = lists = new List<(MatchableOpenItem, bool)>[tokens.Count];
                var list = lists[t] ??= [];
                if (list.Count < MaxCandidatesPerToken) list.Add(candidate);
            }
        foreach (var (partyId, lists) in byParty)
        {
            var single = -1;
            for (var t = 0; t < lists.Length; t++)
                if (lists[t] is not null) single = single == -1 ? t : -2;
            if (single >= 0)
            {
                // The usual case: one number of this party in the title, so only an item of exactly the amount answers.
                foreach (var (item, fuzzy) in lists[single])
                    if (item.OpenAmount == amount)
                        solutions.Add(new Solution(partyId, [(item, fuzzy, single)], 1, fuzzy ? 1 : 0));
                continue;
            }
            var perToken = lists.Select(l => l ?? []).ToList();
            var budget = MaxCombinations;
            var chosen = new List<(MatchableOpenItem Item, bool Fuzzy, int Token)>();
            void Walk(int t, decimal sum)
            {
                if (budget-- <= 0 || sum > amount) return;
                if (t == tokens.Count)
                {
                    if (sum == amount && chosen.Count > 0)
                        solutions.Add(new Solution(partyId, [.. chosen], chosen.Count, chosen.Count(c => c.Fuzzy)));
                    return;
                }
                Walk(t + 1, sum);
                foreach (var (item, fuzzy) in perToken[t])
                {
                    if (chosen.Any(c => c.Item.OpenItemId == item.OpenItemId)) continue;
                    chosen.Add((item, fuzzy, t));
                    Walk(t + 1, sum + item.OpenAmount);
                    chosen.RemoveAt(chosen.Count - 1);
                }
            }
            Walk(0, 0m);
        }
        // The same invoices reached through different words of the title are one answer: keep its best reading.
        return solutions.GroupBy(s => (s.PartyId, string.Join(',', s.Items.Select(i => i.Item.OpenItemId).Order())))
            .Select(g => g.MinBy(s => s.Fuzzy)!).ToList();
    }

    private static IEnumerable<MatchSuggestion> FromSolutions(List<Solution> solutions, List<Token> tokens, List<Token> exactTokens,
        Dictionary<Guid, List<string>> payer, MatchableLine line, MatchingIndex index)
    {
        // Best: the payer's own invoices first (when the payer is known), then the most numbers used, then the fewest read
        // with a typo. Equal best answers are ambiguous unless the counterparty name names exactly one of their parties.
        bool Eligible(Solution s) => payer.Count == 0 || payer.ContainsKey(s.PartyId);
        var ordered = solutions.OrderByDescending(Eligible).ThenByDescending(s => s.Used).ThenBy(s => s.Fuzzy).ToList();
        var best = ordered[0];
        var tied = ordered.Where(s => Eligible(s) == Eligible(best) && s.Used == best.Used && s.Fuzzy == best.Fuzzy).ToList();
        Solution? named = null;
        if (tied.Count > 1 && !string.IsNullOrWhiteSpace(line.CounterpartyName))
        {
            var byName = tied.Where(s => NameMatches(index.Party(s.PartyId)?.Name, line.CounterpartyName)).ToList();
            if (byName.Count == 1) named = byName[0];
        }
        foreach (var s in ordered.Take(MaxSuggestions))
        {
            var reasons = new List<string> { s.Used > 1 ? MatchReasons.SeveralInvoices : MatchReasons.InvoiceNumber, MatchReasons.AmountsAddUp };
            if (s.Fuzzy > 0) reasons.Add(MatchReasons.InvoiceNumberTypo);
            if (s.Items.Any(i => tokens[i.Token].FromSplitPayment)) reasons.Add(MatchReasons.SplitPayment);
            // An open number of the same party written in the title that the answer leaves out (exact tokens come first in
            // the token list). Numbers of other parties are not counted: a date such as 2025-03-15 reads like FV/2025/03/15.
            var leftOut = exactTokens.Select((t, i) => (t, i))
                .Count(x => x.t.Candidates.Any(c => c.Item.PartyId == s.PartyId) && s.Items.All(item => item.Token != x.i));
            var confidence = 0.99m - 0.03m * s.Fuzzy - 0.03m * leftOut;
            if (!tied.Contains(s)) confidence -= 0.2m;
            ApplyPayer(s.PartyId, payer, reasons, ref confidence);
            if (tied.Count > 1 && tied.Contains(s))
            {
                if (s == named) reasons.Add(MatchReasons.NameMatches);
                else
                {
                    confidence = Math.Min(confidence, 0.6m);
                    reasons.Add(MatchReasons.Ambiguous);
                }
            }
            yield return Suggest(index, s.PartyId, [.. s.Items.Select(i => (i.Item, i.Item.OpenAmount))], line.Amount, confidence, reasons);
        }
    }

    /// <summary>Numbers found exactly whose amounts do not add up: a partial payment or an overpayment of one party's invoices.</summary>
    private static IEnumerable<MatchSuggestion> PartialOrOver(List<Token> exactTokens, Dictionary<Guid, List<string>> payer, MatchableLine line, MatchingIndex index)
    {
        var byParty = exactTokens.SelectMany(t => t.Candidates.Take(1)).Select(c => c.Item).DistinctBy(i => i.OpenItemId)
            .GroupBy(i => i.PartyId)
            .OrderByDescending(g => payer.ContainsKey(g.Key)).ThenByDescending(g => g.Count())
            .Take(2);
        foreach (var group in byParty)
        {
            var items = group.OrderBy(i => i.DueDate).ThenBy(i => i.DocumentDate).ThenBy(i => i.Number, StringComparer.Ordinal).ToList();
            var total = items.Sum(i => i.OpenAmount);
            var reasons = new List<string> { items.Count > 1 ? MatchReasons.SeveralInvoices : MatchReasons.InvoiceNumber };
            var allocations = new List<(MatchableOpenItem, decimal)>();
            if (line.Amount < total)
            {
                reasons.Add(MatchReasons.PartialPayment);
                var left = line.Amount;
                foreach (var item in items)
                {
                    if (left <= 0) break;
                    var part = Math.Min(left, item.OpenAmount);
                    allocations.Add((item, part));
                    left -= part;
                }
            }
            else
            {
                reasons.Add(MatchReasons.Overpayment);
                allocations.AddRange(items.Select(i => (i, i.OpenAmount)));
            }
            // An overpayment of invoices named exactly by a payer known by NIP or IBAN is certain: the invoices are
            // settled and the rest stays as the customer's credit. A partial payment waits for a person.
            var confidence = 0.7m;
            if (payer.ContainsKey(group.Key)) confidence = line.Amount > total ? 0.95m : 0.8m;
            ApplyPayer(group.Key, payer, reasons, ref confidence);
            yield return Suggest(index, group.Key, allocations, line.Amount, confidence, reasons);
        }
    }

    /// <summary>A payer known by NIP or IBAN: its only open item with the line's amount, all its open items, or its account.</summary>
    private static IEnumerable<MatchSuggestion> FromPayer(Guid partyId, List<string> payerReasons, bool titleHasNumbers, List<MatchSuggestion> already,
        MatchableLine line, MatchingIndex index)
    {
        var open = index.OfParty(partyId).Where(i => i.Currency == line.Currency)
            .OrderBy(i => i.DueDate).ThenBy(i => i.DocumentDate).ThenBy(i => i.Number, StringComparer.Ordinal).ToList();
        var equal = open.Where(i => i.OpenAmount == line.Amount).ToList();
        var made = false;
        if (equal.Count == 1)
        {
            // When the title names open invoices that did not add up, the amount alone must not decide.
            made = true;
            yield return Suggest(index, partyId, [(equal[0], line.Amount)], line.Amount, titleHasNumbers ? 0.85m : 0.95m,
                [.. payerReasons, MatchReasons.AmountEqual]);
        }
        else if (equal.Count > 1)
        {
            made = true;
            foreach (var item in equal.Take(3))
                yield return Suggest(index, partyId, [(item, line.Amount)], line.Amount, 0.6m, [.. payerReasons, MatchReasons.AmountEqual, MatchReasons.Ambiguous]);
        }
        else if (open.Count > 1 && open.Sum(i => i.OpenAmount) == line.Amount)
        {
            made = true;
            yield return Suggest(index, partyId, [.. open.Select(i => (i, i.OpenAmount))], line.Amount, 0.85m, [.. payerReasons, MatchReasons.PaysAllOpen]);
        }
        if (!made && already.All(s => s.PartyId != partyId))
            yield return Suggest(index, partyId, [], line.Amount, 0.5m, [.. payerReasons, MatchReasons.OnAccount]);
    }

    private static IEnumerable<MatchSuggestion> FromAmountAlone(MatchableLine line, MatchingIndex index)
    {
        var equal = index.WithAmount(line.Currency, line.Amount).Take(4).ToList();
        if (equal.Count is 0 or > 3) yield break;
        var confidence = equal.Count == 1 ? 0.4m : 0.25m;
        foreach (var item in equal)
            yield return Suggest(index, item.PartyId, [(item, line.Amount)], line.Amount, confidence,
                equal.Count == 1 ? [MatchReasons.AmountEqual] : [MatchReasons.AmountEqual, MatchReasons.Ambiguous]);
    }

    /// <summary>The party's name, word for word, inside the counterparty name the bank gives (letter case and punctuation aside).</summary>
    public static bool NameMatches(string? partyName, string? counterpartyName)
    {
        static string Words(string text) => " " + string.Join(' ', text.ToUpperInvariant().Split(
            [' ', '.', ',', '-', '"', '\'', '/', '(', ')'], StringSplitOptions.RemoveEmptyEntries)) + " ";
        if (string.IsNullOrWhiteSpace(partyName) || string.IsNullOrWhiteSpace(counterpartyName)) return false;
        var party = Words(partyName);
        return party.Length > 4 && Words(counterpartyName).Contains(party, StringComparison.Ordinal);
    }

    private static void ApplyPayer(Guid partyId, Dictionary<Guid, List<string>> payer, List<string> reasons, ref decimal confidence)
    {
        if (payer.Count == 0) return;
        if (payer.TryGetValue(partyId, out var payerReasons)) reasons.AddRange(payerReasons);
        else
        {
            // Someone else pays (a parent company, a factor): possible, but a person should confirm it.
            confidence = Math.Min(confidence, 0.7m);
            reasons.Add(MatchReasons.PayerDiffers);
        }
    }

    private static MatchSuggestion Suggest(MatchingIndex index, Guid partyId, List<(MatchableOpenItem Item, decimal Amount)> allocations, decimal lineAmount,
        decimal confidence, List<string> reasons) =>
        new(partyId, index.Party(partyId)?.Name ?? "",
            [.. allocations.Select(a => new SuggestedAllocation(a.Item.InvoiceId, a.Item.OpenItemId, a.Item.Number, a.Amount, a.Item.OpenAmount))],
            lineAmount - allocations.Sum(a => a.Amount), Math.Clamp(confidence, 0m, 1m), reasons.Distinct().ToList());

    /// <summary>Parties the line names as payer: by NIP (counterparty field, title or name; never the company's own) and by a known IBAN.</summary>
    public static Dictionary<Guid, List<string>> IdentifyPayer(MatchableLine line, MatchingIndex index)
    {
        var payer = new Dictionary<Guid, List<string>>();
        void Add(IEnumerable<MatchableParty> parties, string reason)
        {
            foreach (var p in parties)
            {
                if (!payer.TryGetValue(p.PartyId, out var reasons)) payer[p.PartyId] = reasons = [];
                if (!reasons.Contains(reason)) reasons.Add(reason);
            }
        }
        if (line.CounterpartyNip is { Length: 10 } nip && nip != index.OwnNip) Add(index.PartiesWithNip(nip), MatchReasons.NipOfPayer);
        foreach (var text in new[] { line.Title, line.CounterpartyName })
            foreach (var found in NipsIn(text))
                if (found != index.OwnNip) Add(index.PartiesWithNip(found), MatchReasons.NipInTitle);
        if (AccountNumbers.Normalise(line.CounterpartyAccount) is { } iban) Add(index.PartiesWithAccount(iban), MatchReasons.IbanKnown);
        return payer;
    }

    /// <summary>Valid NIPs written in a text: ten digits, or 3-3-2-2 / 3-2-2-3 with dashes or spaces, with the check digit right.</summary>
    public static IEnumerable<string> NipsIn(string? text)
    {
        if (string.IsNullOrEmpty(text)) yield break;
        foreach (Match m in NipPattern().Matches(text))
        {
            var digits = new string(m.Value.Where(char.IsAsciiDigit).ToArray());
            if (Nip.TryParse(digits, out var nip, out _)) yield return nip.Value;
        }
    }

    [GeneratedRegex(@"(?<![\d])(?:\d{10}|\d{3}[- ]\d{3}[- ]\d{2}[- ]\d{2}|\d{3}[- ]\d{2}[- ]\d{2}[- ]\d{3})(?![\d])")]
    private static partial Regex NipPattern();
}
