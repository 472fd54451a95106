using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kontor.Common;

namespace Kontor.Banking;

/// <summary>
/// Reads the MT940 <c>:86:</c> field. Three layouts are recognised (docs/banking.md):
/// <list type="bullet">
/// <item>structured sub-fields <c>NNN~00…~20…</c> — the ZBP layout of PKO BP, Pekao, ING PL, Santander (separator <c>~</c>,
/// some banks <c>^</c>), and the German DFÜ/SEPA layout with <c>?</c> (also <c>&gt;</c>, Triodos);</item>
/// <item>mBank free text <c>…; Z RACH.: …; OD: …; TYT.: …; TNR: …</c>;</item>
/// <item>anything else: the text is the title.</item>
/// </list>
/// The split-payment title (<c>/VAT/…/IDC/…/INV/…/TXT/…</c>) is recognised in the title of every layout.
/// </summary>
public static partial class TransactionDetailsParser
{
    private const int SubFieldLength = 27;

    /// <param name="polishAccount">The statement is of a Polish account: structured sub-fields follow the ZBP meaning whatever the separator.</param>
    public static TransactionDetails Parse(string? raw, BankLineDirection direction, bool polishAccount = false)
    {
        if (string.IsNullOrWhiteSpace(raw)) return TransactionDetails.Empty;
        var details = Structured(raw, polishAccount) ?? MBank(raw) ?? Plain(raw);
        var split = SplitPaymentOf(details.Title);
        var nip = details.CounterpartyNip;
        // In an MPP title IDC is the supplier's NIP: the counterparty's when we pay, our own when we are paid.
        if (nip is null && split?.Nip is not null && direction == BankLineDirection.Debit) nip = split.Nip;
        nip ??= NipIn(details.CounterpartyName) ?? NipIn(details.CounterpartyAddress) ?? (split is null ? NipIn(details.Title) : null);
        return details with { SplitPayment = split, CounterpartyNip = nip };
    }

    private static TransactionDetails? Structured(string raw, bool polishAccount)
    {
        // Sub-fields run on across line breaks (a break is only the 65-character wrap), so the lines are joined first.
        var text = string.Concat(raw.Split('\n').Select(l => l.TrimEnd('\r')));
        var head = StructuredHead().Match(text);
        if (!head.Success) return null;
        var separator = head.Groups["sep"].Value[0];
        var fields = new SortedDictionary<int, string>();
        var lastLength = 0;
        foreach (var part in text[head.Groups["sep"].Index..].Split(separator).Skip(1))
        {
            if (part.Length < 2 || !int.TryParse(part.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var key)) continue;
            fields[key] = fields.TryGetValue(key, out var earlier) ? earlier + part[2..] : part[2..];
        }
        // Sub-fields hold at most 27 characters: a full one was cut where the text went on (even inside a word),
        // a shorter one ended a phrase (one invoice number per sub-field), so only the latter is followed by a space.
        string Join(params int[] keys)
        {
            var text = new StringBuilder();
            foreach (var key in keys.Where(fields.ContainsKey))
            {
                if (text.Length > 0 && text[^1] != ' ' && fields[key].Length > 0 && !fields[key].StartsWith(' ') && lastLength < SubFieldLength) text.Append(' ');
                text.Append(fields[key]);
                lastLength = fields[key].Length;
            }
            return Collapse(text.ToString());
        }
        // '?' is the German DFÜ layout, unless the account is Polish (Santander and others use '?' with the ZBP meaning).
        var german = separator == '>' || (separator == '?' && !polishAccount);
        // ZBP: ~20–~26 title; ~32/~33 name (~27/~28 where a bank puts it there); ~29 and ~60–~63 address. DFÜ: ?20–?29 and ?60–?63 title; ?32/?33 name.
        var title = german ? Join(20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 60, 61, 62, 63) : Join(20, 21, 22, 23, 24, 25, 26);
        var name = german ? Join(32, 33) : Join(32, 33) is { Length: > 0 } named ? named : Join(27, 28);
        var address = german ? null : Collapse(Join(29) + " " + Join(60, 61, 62, 63));
        var account = AccountOf(fields.GetValueOrDefault(38)) ?? AccountOf(fields.GetValueOrDefault(31));
        if (title.Length == 0 && fields.TryGetValue(0, out var description)) title = Collapse(description);
        return new TransactionDetails(NullIfEmpty(title), NullIfEmpty(name), account, NullIfEmpty(address), null, null);
    }

    private static TransactionDetails? MBank(string raw)
    {
        // mBank wraps its free text at 65 characters, also inside words: the lines are concatenated as they are.
        var text = string.Concat(raw.Split('\n').Select(l => l.TrimEnd('\r')));
        if (!MBankMarker().IsMatch(text)) return null;
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in MBankField().Matches(text))
            parts.TryAdd(m.Groups["key"].Value, m.Groups["value"].Value.Trim());
        var party = parts.GetValueOrDefault("OD") ?? parts.GetValueOrDefault("DLA") ?? parts.GetValueOrDefault("DO");
        string? name = null, address = null;
        if (party is not null)
        {
            // The name and the address share one field; where the bank left a double space, that is the border.
            var border = party.IndexOf("  ", StringComparison.Ordinal);
            (name, address) = border > 0 ? (Collapse(party[..border]), NullIfEmpty(Collapse(party[border..]))) : (Collapse(party), null);
        }
        var account = AccountOf(parts.GetValueOrDefault("Z RACH.") ?? parts.GetValueOrDefault("NA RACH."));
        var title = parts.GetValueOrDefault("TYT.");
        return new TransactionDetails(NullIfEmpty(Collapse(title ?? "")) ?? Collapse(text), NullIfEmpty(name), account, address, null, null);
    }

    private static TransactionDetails Plain(string raw) =>
        new(NullIfEmpty(Collapse(string.Join(' ', raw.Split('\n').Select(l => l.Trim())))), null, null, null, null, null);

    /// <summary>/VAT/23,00/IDC/5261040828/INV/FV 1/03/2026/TXT/zaplata — the fields of a split payment (art. 108a ustawy o VAT).</summary>
    public static SplitPayment? SplitPaymentOf(string? title)
    {
        if (title is null) return null;
        var m = SplitPaymentPattern().Match(title);
        if (!m.Success) return null;
        var vatText = m.Groups["vat"].Value.Replace(" ", "").Replace(',', '.');
        if (!decimal.TryParse(vatText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var vat)) return null;
        var idc = m.Groups["idc"].Value.Trim();
        var nip = Nip.TryParse(idc, out var parsed, out _) ? parsed.Value : null;
        return new SplitPayment(vat, nip ?? NullIfEmpty(idc), NullIfEmpty(m.Groups["inv"].Value.Trim()), NullIfEmpty(m.Groups["txt"].Value.Trim()));
    }

    /// <summary>"NIP 526-104-08-28" or "NIP: 5261040828" with a valid check digit.</summary>
    private static string? NipIn(string? text)
    {
        if (text is null) return null;
        foreach (Match m in NipPattern().Matches(text))
            if (Nip.TryParse(m.Groups["nip"].Value, out var nip, out _)) return nip.Value;
        return null;
    }

    /// <summary>An IBAN or a 26-digit NRB as one token without spaces; null when there is nothing account-like.</summary>
    internal static string? AccountOf(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var compact = new string(text.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        if (compact.Length == 0 || compact.All(c => c == '0')) return null;
        return compact.Length <= 34 ? compact : compact[..34];
    }

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    [GeneratedRegex(@"^\s*\d{3}\s*(?<sep>[~^?>])\d{2}")]
    private static partial Regex StructuredHead();

    [GeneratedRegex(@"(?:^|;)\s*(Z RACH\.|NA RACH\.|OD|DLA|DO|TYT\.)\s*:")]
    private static partial Regex MBankMarker();

    [GeneratedRegex(@"(?:^|;)\s*(?<key>Z RACH\.|NA RACH\.|OD|DLA|DO|TYT\.|TNR|ID IPH|DATA STEMPLA)\s*:(?<value>[^;]*)")]
    private static partial Regex MBankField();

    [GeneratedRegex(@"/VAT/(?<vat>[\d ]+(?:[.,]\d{1,2})?)/IDC/(?<idc>[^/]*)/INV/(?<inv>.*?)/TXT/(?<txt>.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex SplitPaymentPattern();

    [GeneratedRegex(@"NIP\s*:?\s*(?<nip>(?:PL)?\d{3}-?\d{3}-?\d{2}-?\d{2}|\d{3}-?\d{2}-?\d{2}-?\d{3})", RegexOptions.IgnoreCase)]
    private static partial Regex NipPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
