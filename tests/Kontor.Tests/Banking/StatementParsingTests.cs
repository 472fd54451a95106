using Kontor.Tests.Infrastructure;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Kontor.Banking;
using Kontor.Common;
using Xunit.Sdk;

namespace Kontor.Tests.Banking;

/// <summary>Reading statement files without a database: every shared sample, the camt golden values, the XSDs and the synthetic Polish files.</summary>
public sealed class StatementParsingTests
{
    static StatementParsingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static SampleOutcome Outcome(byte[] bytes)
    {
        try
        {
            var file = StatementFiles.Parse(bytes);
            BankStatementImporter.CheckBalances(file);
            foreach (var s in file.Statements)
            {
                // opening + movements = closing, summed here rather than trusting the checker.
                var moved = s.Lines.Sum(l => l.Direction == BankLineDirection.Credit ? l.Amount : -l.Amount);
                Assert.True(s.OpeningBalance + moved == s.ClosingBalance, $"{s.Label}: {s.OpeningBalance} + {moved} ≠ {s.ClosingBalance}");
            }
            return new SampleOutcome.Imports(file.Statements.Count, file.Statements.Sum(s => s.Lines.Count));
        }
        catch (ValidationException ex)
        {
            Assert.Equal(["file"], ex.Errors.Keys);
            return new SampleOutcome.Rejected(string.Join(" ", ex.Errors["file"]));
        }
    }

    [Fact]
    public void Every_shared_MT940_sample_has_an_expectation()
    {
        var unknown = BankSamples.Mt940Files().Where(f => !BankSamples.Mt940.ContainsKey(f)).ToList();
        Assert.True(unknown.Count == 0, "New MT940 samples need an expected outcome in BankSamples.Mt940: " + string.Join(", ", unknown));
        var gone = BankSamples.Mt940.Keys.Except(BankSamples.Mt940Files()).ToList();
        Assert.True(gone.Count == 0, "Expected samples are missing from ../shared/standards/bank/mt940: " + string.Join(", ", gone));
    }

    public static TheoryData<string> Mt940SampleNames() => new(BankSamples.Mt940Files());

    [Theory]
    [MemberData(nameof(Mt940SampleNames))]
    public void Shared_MT940_sample_imports_or_is_refused_for_its_reason(string sample)
    {
        var expected = BankSamples.Mt940.GetValueOrDefault(sample) ?? throw new XunitException($"No expectation for {sample}.");
        var actual = Outcome(File.ReadAllBytes(Path.Combine(BankSamples.Mt940Folder, sample)));
        switch (expected)
        {
            case SampleOutcome.Imports:
                Assert.Equal(expected, actual);
                break;
            case SampleOutcome.Rejected rejected:
                var refused = Assert.IsType<SampleOutcome.Rejected>(actual);
                Assert.Contains(rejected.Reason, refused.Reason);
                break;
        }
    }

    public static TheoryData<string> CamtSampleNames() => new(BankSamples.CamtSampleFiles());

    [Theory]
    [MemberData(nameof(CamtSampleNames))]
    public void Shared_camt_sample_imports_exactly_when_its_own_balances_add_up(string sample)
    {
        var path = Path.Combine(BankSamples.CamtFolder, "samples", sample);
        var actual = Outcome(File.ReadAllBytes(path));
        if (BankSamples.CamtRefusal(sample) is { } refusal)
        {
            Assert.Contains(refusal.Reason, Assert.IsType<SampleOutcome.Rejected>(actual).Reason);
            return;
        }
        // The expectation from the XML itself: OPBD (or PRCD) + Σ CRDT − Σ DBIT of booked entries = CLBD, in one currency.
        var xml = XDocument.Load(path);
        XNamespace ns = xml.Root!.Name.Namespace;
        var problems = new List<string>();
        var lines = 0;
        foreach (var stmt in xml.Descendants(ns + "Stmt"))
        {
            decimal Signed(XElement e) => decimal.Parse(e.Element(ns + "Amt")!.Value, CultureInfo.InvariantCulture) * (e.Element(ns + "CdtDbtInd")!.Value == "DBIT" ? -1 : 1);
            XElement? Bal(string code) => stmt.Elements(ns + "Bal").FirstOrDefault(b => b.Descendants(ns + "Cd").First().Value == code);
            var opening = Bal("OPBD") ?? Bal("PRCD");
            var closing = Bal("CLBD");
            if (opening is null) { problems.Add("no opening balance"); continue; }
            if (closing is null) { problems.Add("no closing balance"); continue; }
            if ((string?)opening.Element(ns + "Amt")!.Attribute("Ccy") != (string?)closing.Element(ns + "Amt")!.Attribute("Ccy")) { problems.Add("the closing balance in"); continue; }
            var entries = stmt.Elements(ns + "Ntry").ToList();
            lines += entries.Count;
            if (Signed(opening) + entries.Sum(Signed) != Signed(closing)) problems.Add("does not add up");
        }
        if (problems.Count == 0)
        {
            Assert.Equal(new SampleOutcome.Imports(xml.Descendants(ns + "Stmt").Count(), lines), actual);
            return;
        }
        var refused = Assert.IsType<SampleOutcome.Rejected>(actual);
        Assert.Contains(problems[0], refused.Reason);
    }

    /// <summary>genkgo's balance types as its JSON names them.</summary>
    private static readonly Dictionary<string, string[]> GenkgoBalanceTypes = new()
    {
        ["opening"] = ["OPBD", "PRCD"], ["closing"] = ["CLBD"], ["opening_available"] = ["OPAV"], ["closing_available"] = ["CLAV"],
        ["forward_available"] = ["FWAV"], ["information"] = ["INFO"], ["interim_available"] = ["ITAV"], ["interim"] = ["ITBD"], ["expected_credit"] = ["XPCD"],
    };

    public static TheoryData<string> Camt053Samples() =>
        new(BankSamples.CamtSampleFiles().Where(f => f.StartsWith("camt053", StringComparison.Ordinal) || f.StartsWith("camt53", StringComparison.Ordinal))
            .Where(f => File.Exists(Path.Combine(BankSamples.CamtFolder, "samples", Path.ChangeExtension(f, ".json")))));

    [Theory]
    [MemberData(nameof(Camt053Samples))]
    public void Camt053_sample_reads_as_its_golden_json(string sample)
    {
        var folder = Path.Combine(BankSamples.CamtFolder, "samples");
        var statements = CamtParser.Read(File.ReadAllBytes(Path.Combine(folder, sample)));
        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, Path.ChangeExtension(sample, ".json"))))!;

        // Statements: genkgo serialises each record once (later references are "__RECURSIVITY__").
        var records = Descendants(golden).Where(n => n["__CLASS__"]?.GetValue<string>() == "Genkgo\\Camt\\Camt053\\DTO\\Statement" && n["getBalances"] is not null).ToList();
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            var id = record["getId"]!.GetValue<string>();
            var statement = statements.SingleOrDefault(s => s.Id == id) ?? throw new XunitException($"{sample}: statement {id} not read.");
            Assert.Equal(record["getAccount"]!["getIdentification"]!.GetValue<string>(), statement.Account);
            var number = record["getElectronicSequenceNumber"]?.GetValue<string>() ?? record["getLegalSequenceNumber"]?.GetValue<string>() ?? "";
            Assert.Equal(number, statement.Number);
            var balances = record["getBalances"]!.AsArray();
            Assert.Equal(balances.Count, statement.Balances.Count);
            foreach (var (balance, index) in balances.Select((b, i) => (b!, i)))
            {
                var ours = statement.Balances[index];
                Assert.Contains(ours.Code, GenkgoBalanceTypes[balance["getType"]!.GetValue<string>()]);
                // genkgo keeps amounts in the currency's minor units (JPY has none), cut to them.
                Assert.Equal(MinorUnits(balance["getAmount"]!), Math.Truncate(ours.Amount * Scale(ours.Currency)));
                Assert.Equal(balance["getAmount"]!["getCurrency"]!["getCode"]!.GetValue<string>(), ours.Currency);
                Assert.Equal(DateOf(balance["getDate"]), ours.Date);
            }
        }

        var lines = statements.SelectMany(s => s.Lines).ToList();
        var entries = golden["getEntries"]!.AsArray().OfType<JsonObject>().ToList();
        Assert.True(entries.Count <= lines.Count, $"{sample}: {entries.Count} golden entries, {lines.Count} lines read");
        foreach (var entry in entries)
        {
            var cents = MinorUnits(entry["getAmount"]!) / Scale(entry["getAmount"]!["getCurrency"]!["getCode"]!.GetValue<string>()) * 100;
            var credit = entry["getCreditDebitIndicator"]!.GetValue<string>() == "CRDT";
            var booking = DateOf(entry["getBookingDate"]);
            var line = lines.FirstOrDefault(l => l.Amount * 100 == Math.Abs(cents) && (l.Direction == BankLineDirection.Credit) == credit && l.BookingDate == booking)
                       ?? throw new XunitException($"{sample}: no line for the golden entry {cents / 100m} {(credit ? "CRDT" : "DBIT")} booked {booking}.");
            Assert.Equal(entry["getAmount"]!["getCurrency"]!["getCode"]!.GetValue<string>(), line.Currency);
            Assert.Equal(DateOf(entry["getValueDate"]) ?? booking, line.ValueDate);
            Assert.Equal(entry["getAccountServicerReference"]?.GetValue<string>(), line.BankReference);
            var detail = entry["getTransactionDetail"] as JsonObject;
            if (detail is null) continue;
            Assert.Equal(detail["getReference"]?["getEndToEndId"]?.GetValue<string>(), line.EndToEndId);
            var creditorRef = detail["getRemittanceInformation"]?["getCreditorReferenceInformation"]?["getRef"]?.GetValue<string>();
            Assert.Equal(creditorRef, line.CreditorReference);
            var unstructured = detail["getRemittanceInformation"]?["getUnstructuredBlocks"]?.AsArray().OfType<JsonObject>()
                .Select(b => b["getMessage"]!.GetValue<string>()).ToList() ?? [];
            if (unstructured.Count > 0) Assert.Equal(string.Join(" ", unstructured), line.Details.Title);
            else if (creditorRef is not null) Assert.Equal(creditorRef, line.Details.Title);
            // The counterparty: the debtor of money in, the creditor of money out.
            var partyClass = credit ? "Genkgo\\Camt\\DTO\\Debtor" : "Genkgo\\Camt\\DTO\\Creditor";
            var party = detail["getRelatedParties"]?.AsArray().OfType<JsonObject>()
                .FirstOrDefault(p => p["getRelatedPartyType"]?["__CLASS__"]?.GetValue<string>() == partyClass);
            if (party is null) continue;
            Assert.Equal(party["getRelatedPartyType"]!["getName"]?.GetValue<string>(), line.Details.CounterpartyName);
            Assert.Equal(party["getAccount"]?["getIdentification"]?.GetValue<string>(), line.Details.CounterpartyAccount);
        }
    }

    [Fact]
    public void Camt053_samples_validate_against_their_XSD_except_the_wrong_one()
    {
        var xsdFolder = Path.Combine(BankSamples.CamtFolder, "xsd");
        foreach (var sample in BankSamples.CamtSampleFiles().Where(f => f.StartsWith("camt053", StringComparison.Ordinal) || f.StartsWith("camt53", StringComparison.Ordinal)))
        {
            var path = Path.Combine(BankSamples.CamtFolder, "samples", sample);
            var ns = XDocument.Load(path).Root!.Name.NamespaceName;
            var xsd = Path.Combine(xsdFolder, ns[(ns.LastIndexOf(':') + 1)..] + ".xsd");
            Assert.True(File.Exists(xsd), $"{sample}: no schema {xsd}");
            var schemas = new XmlSchemaSet();
            schemas.Add(ns, xsd);
            var errors = new List<string>();
            var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
            settings.ValidationEventHandler += (_, e) => errors.Add($"line {e.Exception.LineNumber}: {e.Message}");
            using (var reader = XmlReader.Create(path, settings)) while (reader.Read()) { }
            if (sample == "camt053.v2.wrong.xml")
            {
                Assert.Contains(errors, e => e.Contains("BkToCstmrStmt", StringComparison.Ordinal) && e.Contains("Stmt", StringComparison.Ordinal));
                var refused = Assert.Throws<ValidationException>(() => StatementFiles.Parse(File.ReadAllBytes(path)));
                Assert.Contains("holds no <Stmt>", refused.Errors["file"][0]);
            }
            else Assert.True(errors.Count == 0, $"{sample}: {string.Join("; ", errors)}");
        }
    }

    [Fact]
    public void A_statement_that_does_not_add_up_is_refused_in_the_readers_language()
    {
        // Opening 100.00 + a credit of 50.00 is 150.00, but the file says the closing balance is 140.00.
        var file = Encoding.UTF8.GetBytes(":20:S1\r\n:25:PL60102010260000042270201111\r\n:28C:7/1\r\n:60F:C260319PLN100,00\r\n" +
                                          ":61:2603200320C50,00NTRFNONREF//B1\r\n:86:153~00Przelew~20FV 1/2026\r\n:62F:C260320PLN140,00\r\n-\r\n");
        string[] Refusal(string language)
        {
            using (UiLanguage.Use(language))
            {
                return [.. Assert.Throws<ValidationException>(() => BankStatementImporter.CheckBalances(StatementFiles.Parse(file))).Errors["file"]];
            }
        }

        Assert.Equal(
            ["Nic nie zaimportowano.",
             "Nie bilansuje się wyciąg S1 nr 7/1 rachunku PL60102010260000042270201111 (wiersz 1): saldo początkowe 100.00 + uznania 50.00 − obciążenia 0.00 = 150.00 PLN, " +
             "a saldo końcowe wynosi 140.00 PLN (różnica -10.00)."],
            Refusal("pl"));
        Assert.Equal(
            ["Ничего не импортировано.",
             "Не сходится выписка S1 № 7/1 по счёту PL60102010260000042270201111 (строка 1): входящий остаток 100.00 + поступления 50.00 − списания 0.00 = 150.00 PLN, " +
             "а исходящий остаток — 140.00 PLN (разница -10.00)."],
            Refusal("ru"));
        Assert.Equal(
            ["Nothing was imported.",
             "The statement S1 no. 7/1 of account PL60102010260000042270201111 (line 1) does not add up: opening balance 100.00 + credits 50.00 − debits 0.00 = 150.00 PLN, " +
             "but the closing balance is 140.00 PLN (difference -10.00)."],
            Refusal("en"));
    }

    [Fact]
    public void Camt052_and_054_are_refused_as_not_statements()
    {
        var report = Assert.Throws<ValidationException>(() => StatementFiles.Parse(File.ReadAllBytes(Path.Combine(BankSamples.CamtFolder, "samples", "camt052.v2.xml"))));
        Assert.Equal("This is a camt.052.001.02 account report (intraday), not a statement: import the end-of-day camt.053 statement instead.", report.Errors["file"][0]);
        var notification = Assert.Throws<ValidationException>(() => StatementFiles.Parse(File.ReadAllBytes(Path.Combine(BankSamples.CamtFolder, "samples", "camt054.v8.xml"))));
        Assert.Contains("camt.054.001.08 debit/credit notification, not a statement", notification.Errors["file"][0]);
    }

    [Fact]
    public void PKO_tilde_layout_in_windows_1250_gives_counterparty_title_NIP_and_split_payment()
    {
        var file = StatementFiles.Parse(BankSamples.Synthetic("pko-bp-zbp-cp1250.sta"));

        Assert.Equal(("windows-1250", StatementFormat.Mt940), (file.Encoding, file.Format));
        var s = Assert.Single(file.Statements);
        Assert.Equal(("PL60102010260000042270201111", "PKO260302000001", "00042/001", "PLN"), (s.AccountIdentifier, s.StatementId, s.StatementNumber, s.Currency));
        Assert.Equal((new DateOnly(2026, 3, 2), 12500.00m, new DateOnly(2026, 3, 3), 17408.00m), (s.OpeningDate, s.OpeningBalance, s.ClosingDate, s.ClosingBalance));
        Assert.Equal(5, s.Lines.Count);

        var first = s.Lines[0];
        Assert.Equal((1230.00m, BankLineDirection.Credit, new DateOnly(2026, 3, 2)), (first.Amount, first.Direction, first.ValueDate));
        Assert.Equal("Zapłata za fakturę FV/2026/02/0015", first.Details.Title);
        Assert.Equal("Zakład Usług Informatycznych „Żółć” Sp. z o.o.", first.Details.CounterpartyName);
        Assert.Equal("PL76105000861000009031234567", first.Details.CounterpartyAccount);
        Assert.Equal("5261040828", first.Details.CounterpartyNip);
        Assert.Equal("ul. Świętokrzyska 12 00-950 Warszawa NIP 5261040828", first.Details.CounterpartyAddress);
        Assert.Equal("260302123456789", first.BankReference);
        Assert.Null(first.EndToEndId); // NONREF
        Assert.Equal("N110", first.TransactionCode);
        Assert.Null(first.Details.SplitPayment);

        // Money in by split payment: IDC is our own NIP, so it is not taken as the payer's.
        var mpp = s.Lines[1];
        Assert.Equal(new SplitPayment(460.00m, "5840212304", "FV/2026/02/0016", "Opłata za usługi"), mpp.Details.SplitPayment);
        Assert.Equal("Łódzka Spółdzielnia Śrubek", mpp.Details.CounterpartyName);
        Assert.Null(mpp.Details.CounterpartyNip);

        Assert.Equal("FV/2026/02/0011 FV/2026/02/0012 i FV/2026/02/0013", s.Lines[2].Details.Title);
        Assert.Equal("Przedsiębiorstwo Handlowe Gęś-Źdźbło", s.Lines[2].Details.CounterpartyName);

        // Money out by split payment: IDC is the supplier's NIP, i.e. the counterparty's.
        var paid = s.Lines[3];
        Assert.Equal((1845.00m, BankLineDirection.Debit), (paid.Amount, paid.Direction));
        Assert.Equal(new SplitPayment(345.00m, "5261040828", "ZUI/118/2026", "dostawa sprzętu"), paid.Details.SplitPayment);
        Assert.Equal("5261040828", paid.Details.CounterpartyNip);

        Assert.Equal(("Opłata miesięczna luty 2026", (string?)null), (s.Lines[4].Details.Title, s.Lines[4].Details.CounterpartyName));
    }

    [Fact]
    public void Pekao_caret_layout_reads_two_statements_over_New_Year_and_a_reversal()
    {
        var file = StatementFiles.Parse(BankSamples.Synthetic("pekao-zbp-caret-cp1250.sta"));

        Assert.Equal(2, file.Statements.Count);
        var december = file.Statements[0];
        var incoming = december.Lines[0];
        Assert.Equal((new DateOnly(2026, 12, 31), (DateOnly?)new DateOnly(2027, 1, 2)), (incoming.ValueDate, incoming.BookingDate));
        Assert.Equal(("Faktura FV/2026/12/0099", "Łódzka Spółdzielnia Śrubek", "PL27114020040000300201355387", "7770001111"),
            (incoming.Details.Title, incoming.Details.CounterpartyName, incoming.Details.CounterpartyAccount, incoming.Details.CounterpartyNip));
        // RC: the bank reverses a credit, so the money goes out.
        var reversal = december.Lines[1];
        Assert.Equal((BankLineDirection.Debit, true, 200.00m), (reversal.Direction, reversal.IsReversal, reversal.Amount));
        Assert.Equal(1300.00m, december.ClosingBalance);
        Assert.Equal(("Czynsz styczeń 2027", BankLineDirection.Debit), (file.Statements[1].Lines[0].Details.Title, file.Statements[1].Lines[0].Direction));
    }

    [Fact]
    public void ING_file_in_UTF8_names_the_account_by_NRB_and_Santander_question_mark_layout_keeps_one_invoice_per_sub_field()
    {
        var ing = StatementFiles.Parse(BankSamples.Synthetic("ing-zbp-utf8.sta"));
        Assert.Equal("utf-8", ing.Encoding);
        var s = Assert.Single(ing.Statements);
        Assert.Equal("31105014451000002345678901", s.AccountIdentifier);
        var line = Assert.Single(s.Lines);
        Assert.Equal(("Zapłata FV/2026/03/0001 dziękujemy", "Zakład Usług Informatycznych „Żółć” Sp. z o.o.", "PL76105000861000009031234567"),
            (line.Details.Title, line.Details.CounterpartyName, line.Details.CounterpartyAccount));

        var santander = Assert.Single(StatementFiles.Parse(BankSamples.Synthetic("santander-zbp-question-cp1250.sta")).Statements);
        Assert.Equal((-100.00m, 150.00m), (santander.OpeningBalance, santander.ClosingBalance));
        Assert.Equal(("FV/2026/03/0002 FV/2026/03/0003", "Łódzka Spółdzielnia Śrubek"), (santander.Lines[0].Details.Title, santander.Lines[0].Details.CounterpartyName));
    }

    [Fact]
    public void MBank_free_text_gives_account_name_and_title_and_Latin2_export_keeps_Polish_letters()
    {
        var mbank = Assert.Single(StatementFiles.Parse(File.ReadAllBytes(Path.Combine(BankSamples.Mt940Folder, "wolph-mt940/mBank/mt940.sta"))).Statements);
        var line = mbank.Lines[0];
        Assert.Equal(("PRZELEW SRODKOW", "JAN NOWAK", "UL. NIJAKA 1 M 2 31-234 KRAKOW", "56114010810000267002001001"),
            (line.Details.Title, line.Details.CounterpartyName, line.Details.CounterpartyAddress, line.Details.CounterpartyAccount));
        Assert.Equal(("MB170119012058", 0.01m, BankLineDirection.Credit), (line.BankReference, line.Amount, line.Direction));

        var latin2 = StatementFiles.Parse(File.ReadAllBytes(Path.Combine(BankSamples.Mt940Folder, "ksdev-mbank/MT940_multiple_accounts.txt")));
        Assert.Equal("iso-8859-2", latin2.Encoding);
        var lines = latin2.Statements.SelectMany(s => s.Lines).ToList();
        Assert.Contains(lines, l => l.Details.Title == "ZAPŁATA ZA FAKTURĘ NR 1/2007" && l.Details.CounterpartyName == "FIRMA 1 SP. Z O.O."
                                    && l.Details.CounterpartyAccount == "35109010560000000006093440");
        Assert.Contains(lines, l => l.Details.CounterpartyName?.Contains("ŚWINOUJŚCIE", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Windows_1250_and_ISO_8859_2_bytes_of_the_Polish_letters_are_told_apart()
    {
        const string letters = "ąęłńóśźż ĄĘŁŃÓŚŹŻ";
        var statement = $":20:X\r\n:25:PL60102010260000042270201111\r\n:28C:1\r\n:60F:C260302PLN0,00\r\n:61:2603020302CN1,00NTRFNONREF\r\n:86:020~20{letters}\r\n:62F:C260302PLN1,00\r\n";
        foreach (var encoding in new[] { "windows-1250", "iso-8859-2", "utf-8" })
        {
            var file = StatementFiles.Parse(Encoding.GetEncoding(encoding).GetBytes(statement));
            Assert.Equal(encoding, file.Encoding);
            Assert.Equal(letters, file.Statements[0].Lines[0].Details.Title);
        }
    }

    [Fact]
    public void Bad_MT940_lines_are_refused_naming_the_line()
    {
        var badAmount = Encoding.ASCII.GetBytes(":20:X\n:25:PL60102010260000042270201111\n:28C:1\n:60F:C260302PLN0,00\n:61:2603020302CN1,0,0NTRFNONREF\n:62F:C260302PLN1,00\n");
        Assert.Contains("Line 5: :61:", Assert.Throws<ValidationException>(() => StatementFiles.Parse(badAmount)).Errors["file"][0]);
        var badDate = Encoding.ASCII.GetBytes(":20:X\n:25:PL60102010260000042270201111\n:28C:1\n:60F:C261302PLN0,00\n:62F:C260302PLN0,00\n");
        Assert.Equal("Line 4: :60F: 261302 is not a calendar date.", Assert.Throws<ValidationException>(() => StatementFiles.Parse(badDate)).Errors["file"][0]);
        Assert.Contains("not well-formed XML", Assert.Throws<ValidationException>(() => StatementFiles.Parse("<Document><Stmt>"u8.ToArray())).Errors["file"][0]);
    }

    private static decimal Scale(string currency) => (decimal)Math.Pow(10, Currency.Parse(currency).MinorUnits);

    private static decimal MinorUnits(JsonNode money) => decimal.Parse(money["getAmount"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    private static DateOnly? DateOf(JsonNode? date) => date?["0"]?.GetValue<string>() is { } text ? DateOnly.ParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    private static IEnumerable<JsonObject> Descendants(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var (_, child) in o) if (child is not null) foreach (var d in Descendants(child)) yield return d;
                break;
            case JsonArray a:
                foreach (var child in a) if (child is not null) foreach (var d in Descendants(child)) yield return d;
                break;
        }
    }
}
