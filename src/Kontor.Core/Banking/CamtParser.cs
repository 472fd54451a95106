using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Kontor.Common;

namespace Kontor.Banking;

/// <summary>
/// ISO 20022 camt.053 (BankToCustomerStatement) versions .001.02 to .001.08: the same shape throughout, except that
/// from .001.08 on a related party's name sits under <c>Pty</c>. camt.052 (intraday account report) and camt.054
/// (debit/credit notification) are refused: they are not statements and their balances, if any, do not close a day.
/// </summary>
public static class CamtParser
{
    public const string FileField = Mt940Parser.FileField;
    private const string NamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.";

    /// <summary>A balance as the file states it (signed by CdtDbtInd), with its type code (OPBD, PRCD, CLBD, CLAV, …).</summary>
    public sealed record CamtBalance(string Code, decimal Amount, string Currency, DateOnly Date);

    /// <summary>A &lt;Stmt&gt; as written, before the statement rules (which balance opens and closes it) are applied.</summary>
    public sealed record CamtStatement(string Id, string Number, string Account, string? AccountCurrency, IReadOnlyList<CamtBalance> Balances,
        IReadOnlyList<ParsedLine> Lines, string Where);

    /// <summary>Reads a camt.053 file as a statement file: opening OPBD (or PRCD), closing CLBD, one currency throughout.</summary>
    public static ParsedStatementFile Parse(ReadOnlySpan<byte> bytes) =>
        new(StatementFormat.Camt053, "xml", Read(bytes).Select(ToStatement).ToList());

    private static ParsedStatement ToStatement(CamtStatement s)
    {
        var where = Messages.Format("{0} (statement {1})", s.Where, s.Id);
        // Opening: OPBD (opening booked); PRCD (previous closing booked) where a bank sends that instead.
        var opening = s.Balances.FirstOrDefault(b => b.Code == "OPBD") ?? s.Balances.FirstOrDefault(b => b.Code == "PRCD")
                      ?? throw new ValidationException(FileField, $"{where}: there is no opening balance (<Bal> with code OPBD or PRCD); without it the statement cannot be checked.");
        var closing = s.Balances.FirstOrDefault(b => b.Code == "CLBD")
                      ?? throw new ValidationException(FileField, $"{where}: there is no closing balance (<Bal> with code CLBD); without it the statement cannot be checked.");
        if (opening.Currency != closing.Currency)
            throw new ValidationException(FileField, $"{where}: the opening balance is in {opening.Currency} and the closing balance in {closing.Currency}.");
        if (s.Lines.FirstOrDefault(l => l.Currency != opening.Currency) is { } other)
            throw new ValidationException(FileField, $"{where}: an entry is in {other.Currency} but the statement's balances are in {opening.Currency}.");
        return new ParsedStatement(s.Account, s.AccountCurrency, s.Id, s.Number, opening.Currency, opening.Date, opening.Amount,
            closing.Date, closing.Amount, s.Lines, s.Where);
    }

    /// <summary>Reads every &lt;Stmt&gt; with all its balances and booked entries; refuses what is not camt.053.</summary>
    public static IReadOnlyList<CamtStatement> Read(ReadOnlySpan<byte> bytes)
    {
        XDocument document;
        try
        {
            using var stream = new MemoryStream(bytes.ToArray());
            using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            throw new ValidationException(FileField, $"The file is not well-formed XML: {ex.Message}");
        }
        var root = document.Root!;
        var ns = root.Name.Namespace;
        var message = ns.NamespaceName.StartsWith(NamespacePrefix, StringComparison.Ordinal) ? ns.NamespaceName[NamespacePrefix.Length..] : null;
        if (message is null || root.Name.LocalName != "Document")
            throw new ValidationException(FileField, $"The XML is not an ISO 20022 camt document (root <{root.Name.LocalName}> in namespace '{ns.NamespaceName}'); expected <Document> in urn:iso:std:iso:20022:tech:xsd:camt.053.001.0X.");
        if (message.StartsWith("052.", StringComparison.Ordinal))
            throw new ValidationException(FileField, $"This is a camt.{message} account report (intraday), not a statement: import the end-of-day camt.053 statement instead.");
        if (message.StartsWith("054.", StringComparison.Ordinal))
            throw new ValidationException(FileField, $"This is a camt.{message} debit/credit notification, not a statement: import the camt.053 statement instead.");
        if (!message.StartsWith("053.001.", StringComparison.Ordinal) || !int.TryParse(message["053.001.".Length..], out var version) || version is < 2 or > 8)
            throw new ValidationException(FileField, $"camt.{message} is not supported; Kontor reads camt.053.001.02 to camt.053.001.08.");

        var statementElements = root.Element(ns + "BkToCstmrStmt")?.Elements(ns + "Stmt").ToList() ?? [];
        if (statementElements.Count == 0)
            throw new ValidationException(FileField, $"The camt.053 document has no statement: <BkToCstmrStmt> holds no <Stmt>{Where(root.Element(ns + "BkToCstmrStmt") ?? root)}.");
        return statementElements.Select((s, i) => Statement(s, ns, i + 1)).ToList();
    }

    private static CamtStatement Statement(XElement stmt, XNamespace ns, int index)
    {
        var where = Messages.Format("<Stmt> no. {0}{1}", index, Where(stmt));
        var id = Text(stmt.Element(ns + "Id")) ?? throw new ValidationException(FileField, $"{where}: <Id> is missing.");
        var number = Text(stmt.Element(ns + "ElctrncSeqNb")) ?? Text(stmt.Element(ns + "LglSeqNb")) ?? "";
        var acct = stmt.Element(ns + "Acct") ?? throw new ValidationException(FileField, $"{where}: <Acct> is missing.");
        var account = Text(acct.Element(ns + "Id")?.Element(ns + "IBAN")) ?? Text(acct.Element(ns + "Id")?.Element(ns + "Othr")?.Element(ns + "Id"))
                      ?? throw new ValidationException(FileField, $"{where}: <Acct><Id> has neither <IBAN> nor <Othr><Id>.");
        var accountCurrency = Text(acct.Element(ns + "Ccy"));

        var balances = stmt.Elements(ns + "Bal").Select(b => Balance(b, ns, where)).ToList();
        var lines = new List<ParsedLine>();
        foreach (var entry in stmt.Elements(ns + "Ntry"))
            lines.AddRange(Entry(entry, ns, $"{where} (statement {id})"));
        return new CamtStatement(id, number, account.Replace(" ", ""), accountCurrency, balances, lines, where);
    }

    private static CamtBalance Balance(XElement bal, XNamespace ns, string where)
    {
        var tp = bal.Element(ns + "Tp")?.Element(ns + "CdOrPrtry");
        var code = Text(tp?.Element(ns + "Cd")) ?? Text(tp?.Element(ns + "Prtry")) ?? "";
        var (amount, currency) = Amount(bal.Element(ns + "Amt"), $"{where}: <Bal> {code}");
        var sign = Indicator(bal.Element(ns + "CdtDbtInd"), $"{where}: <Bal> {code}") == BankLineDirection.Debit ? -1 : 1;
        var date = DateOf(bal.Element(ns + "Dt"), ns) ?? throw new ValidationException(FileField, $"{where}: <Bal> {code}{Where(bal)} has no <Dt>.");
        return new CamtBalance(code, sign * amount, currency, date);
    }

    private static IEnumerable<ParsedLine> Entry(XElement ntry, XNamespace ns, string where)
    {
        var here = $"{where}: <Ntry>{Where(ntry)}";
        var status = Text(ntry.Element(ns + "Sts")?.Element(ns + "Cd")) ?? Text(ntry.Element(ns + "Sts"));
        // Only booked entries move the booked balance; pending and information entries are not on the statement's books.
        if (status is not null && status != "BOOK") yield break;
        var (amount, currency) = Amount(ntry.Element(ns + "Amt"), here);
        var direction = Indicator(ntry.Element(ns + "CdtDbtInd"), here);
        var reversal = string.Equals(Text(ntry.Element(ns + "RvslInd")), "true", StringComparison.OrdinalIgnoreCase);
        var booking = DateOf(ntry.Element(ns + "BookgDt"), ns);
        var value = DateOf(ntry.Element(ns + "ValDt"), ns) ?? booking ?? throw new ValidationException(FileField, $"{here}: neither <BookgDt> nor <ValDt> is given.");
        var bankRef = Text(ntry.Element(ns + "AcctSvcrRef"));
        var code = TransactionCode(ntry.Element(ns + "BkTxCd"), ns);
        var additional = Text(ntry.Element(ns + "AddtlNtryInf"));
        var transactions = ntry.Elements(ns + "NtryDtls").SelectMany(d => d.Elements(ns + "TxDtls")).ToList();

        // A batch entry with several transactions becomes one line per transaction when their amounts add up to the
        // entry (each has its own payer and title, which is what matching needs); otherwise one line for the entry.
        var amounts = transactions.Select(t => TransactionAmount(t, ns, currency)).ToList();
        if (transactions.Count > 1 && amounts.All(a => a is not null) && amounts.Sum() == amount)
        {
            for (var i = 0; i < transactions.Count; i++)
                yield return Line(amounts[i]!.Value, transactions[i], transactions[i].Element(ns + "CdtDbtInd") is { } own ? Indicator(own, here) : direction);
            yield break;
        }
        yield return Line(amount, transactions.FirstOrDefault(), direction, transactions.Count > 1 ? transactions : null);

        ParsedLine Line(decimal lineAmount, XElement? tx, BankLineDirection lineDirection, List<XElement>? all = null)
        {
            var refs = tx?.Element(ns + "Refs");
            var endToEnd = Text(refs?.Element(ns + "EndToEndId"));
            if (string.Equals(endToEnd, "NOTPROVIDED", StringComparison.OrdinalIgnoreCase)) endToEnd = null;
            var sources = all ?? (tx is null ? [] : [tx]);
            var unstructured = sources.SelectMany(t => t.Element(ns + "RmtInf")?.Elements(ns + "Ustrd") ?? []).Select(Text).OfType<string>().ToList();
            var creditorRef = sources.Select(t => Text(t.Element(ns + "RmtInf")?.Element(ns + "Strd")?.Element(ns + "CdtrRefInf")?.Element(ns + "Ref"))).FirstOrDefault(r => r is not null);
            var txInfo = sources.Select(t => Text(t.Element(ns + "AddtlTxInf"))).OfType<string>().ToList();
            var remittance = string.Join(" ", unstructured);
            var title = remittance.Length > 0 ? remittance : creditorRef ?? (txInfo.Count > 0 ? string.Join(" ", txInfo) : additional);
            // Money in: the counterparty is the debtor; money out: the creditor.
            var (partyTag, accountTag) = lineDirection == BankLineDirection.Credit ? ("Dbtr", "DbtrAcct") : ("Cdtr", "CdtrAcct");
            var parties = tx?.Element(ns + "RltdPties");
            var party = parties?.Element(ns + partyTag);
            party = party?.Element(ns + "Pty") ?? party; // .001.08: <Dbtr><Pty><Nm>
            var name = Text(party?.Element(ns + "Nm"));
            var address = party?.Element(ns + "PstlAdr") is { } postal
                ? string.Join(", ", postal.Elements().Where(e => e.Name.LocalName is "AdrLine" or "StrtNm" or "BldgNb" or "PstCd" or "TwnNm" or "Ctry").Select(Text).OfType<string>())
                : null;
            var accountId = parties?.Element(ns + accountTag)?.Element(ns + "Id");
            var account = Text(accountId?.Element(ns + "IBAN")) ?? Text(accountId?.Element(ns + "Othr")?.Element(ns + "Id"));
            var details = TransactionDetailsParser.Parse(title, lineDirection);
            var nip = PartyNip(party, ns) ?? details.CounterpartyNip;
            var raw = string.Join("\n", new[] { remittance, creditorRef, additional }.Where(s => !string.IsNullOrEmpty(s)));
            return new ParsedLine(lineAmount, currency, lineDirection, reversal, booking, value, code, endToEnd, bankRef, creditorRef,
                new TransactionDetails(string.IsNullOrWhiteSpace(title) ? null : title.Trim(), name,
                    TransactionDetailsParser.AccountOf(account), string.IsNullOrEmpty(address) ? null : address, nip, details.SplitPayment),
                raw.Length == 0 ? null : raw);
        }
    }

    private static decimal? TransactionAmount(XElement tx, XNamespace ns, string currency)
    {
        var amt = tx.Element(ns + "Amt") ?? tx.Element(ns + "AmtDtls")?.Element(ns + "TxAmt")?.Element(ns + "Amt");
        if (amt is null || (string?)amt.Attribute("Ccy") != currency) return null;
        return decimal.TryParse(amt.Value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>A party identifier that is a valid NIP (tax id scheme or any Othr/Id), e.g. &lt;Othr&gt;&lt;Id&gt;5261040828&lt;/Id&gt;&lt;SchmeNm&gt;&lt;Cd&gt;TXID&lt;/Cd&gt;.</summary>
    private static string? PartyNip(XElement? party, XNamespace ns)
    {
        var id = party?.Element(ns + "Id");
        if (id is null) return null;
        var candidates = id.Descendants(ns + "Othr").Select(o => Text(o.Element(ns + "Id")))
            .Concat(id.Descendants(ns + "TaxId").Select(Text));
        foreach (var candidate in candidates.OfType<string>())
        {
            var digits = candidate.StartsWith("PL", StringComparison.OrdinalIgnoreCase) ? candidate[2..] : candidate;
            if (Nip.TryParse(digits, out var nip, out _)) return nip.Value;
        }
        return null;
    }

    private static string? TransactionCode(XElement? bkTxCd, XNamespace ns)
    {
        if (bkTxCd is null) return null;
        var domain = bkTxCd.Element(ns + "Domn");
        if (domain is not null)
        {
            var family = domain.Element(ns + "Fmly");
            return string.Join("/", new[] { Text(domain.Element(ns + "Cd")), Text(family?.Element(ns + "Cd")), Text(family?.Element(ns + "SubFmlyCd")) }.OfType<string>());
        }
        return Text(bkTxCd.Element(ns + "Prtry")?.Element(ns + "Cd"));
    }

    private static (decimal Amount, string Currency) Amount(XElement? amt, string where)
    {
        if (amt is null) throw new ValidationException(FileField, $"{where}: <Amt> is missing.");
        var ccy = (string?)amt.Attribute("Ccy");
        if (!Currency.TryParse(ccy, out var currency))
            throw new ValidationException(FileField, $"{where}: <Amt>{Where(amt)} has no valid Ccy attribute ('{ccy}').");
        if (!decimal.TryParse(amt.Value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) || amount > 999_999_999_999m)
            throw new ValidationException(FileField, $"{where}: <Amt>{Where(amt)} '{amt.Value.Trim()}' is not an amount.");
        return (amount, currency.Code);
    }

    private static BankLineDirection Indicator(XElement? element, string where) => Text(element) switch
    {
        "CRDT" => BankLineDirection.Credit,
        "DBIT" => BankLineDirection.Debit,
        var other => throw new ValidationException(FileField, $"{where}: <CdtDbtInd>{Where(element)} must be CRDT or DBIT, found '{other}'."),
    };

    /// <summary>&lt;Dt&gt;2026-03-02&lt;/Dt&gt; or &lt;DtTm&gt;2026-03-02T13:15:00+01:00&lt;/DtTm&gt;: the calendar date as the bank wrote it.</summary>
    private static DateOnly? DateOf(XElement? container, XNamespace ns)
    {
        if (container is null) return null;
        var text = Text(container.Element(ns + "Dt")) ?? Text(container.Element(ns + "DtTm"));
        if (text is null) return null;
        if (text.Length >= 10 && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        throw new ValidationException(FileField, $"<{container.Name.LocalName}>{Where(container)}: '{text}' is not an ISO date.");
    }

    private static string? Text(XElement? element) => element is null || string.IsNullOrWhiteSpace(element.Value) ? null : element.Value.Trim();

    private static string Where(XObject? node) =>
        node is IXmlLineInfo info && info.HasLineInfo() ? Messages.Format(" (line {0})", info.LineNumber) : "";

}
