using System.Security.Cryptography;
using Kontor.Common;
using Kontor.Company;
using Kontor.Persistence;
using Kontor.Security;
using Microsoft.EntityFrameworkCore;

namespace Kontor.Banking;

public sealed record ImportedStatement(
    Guid Id, Guid BankAccountId, string BankAccountIban, string StatementId, string StatementNumber, string Currency,
    DateOnly OpeningDate, decimal OpeningBalance, DateOnly ClosingDate, decimal ClosingBalance,
    decimal TotalCredits, decimal TotalDebits, int LineCount);

public sealed record BankImportResult(StatementFormat Format, string Encoding, string FileName, IReadOnlyList<ImportedStatement> Statements)
{
    public int LineCount => Statements.Sum(s => s.LineCount);
}

/// <summary>
/// Imports a bank statement file, all or nothing: every statement of the file must add up (opening + credits − debits
/// = closing), belong to a company bank account in that account's currency, and not have been imported before;
/// otherwise nothing is written. The natural key of a statement is unique in the database, so two imports of the
/// same file racing each other cannot both succeed. Authorization is the caller's (policy PostToBooks).
/// </summary>
public sealed class BankStatementImporter(KontorDbContext db, UnitOfWork unitOfWork, AuditTrail audit, ICurrentActor actor, TimeProvider clock)
{
    public const string FileField = Mt940Parser.FileField;
    /// <summary>Largest balance or total kept (SQLite stores amounts as millionths in a 64-bit integer).</summary>
    public const decimal MaxAmount = 999_999_999_999m;

    public async Task<BankImportResult> ImportAsync(ReadOnlyMemory<byte> file, string? fileName, CancellationToken ct = default)
    {
        var parsed = StatementFiles.Parse(file.Span);
        CheckBalances(parsed);
        var name = string.IsNullOrWhiteSpace(fileName) ? "" : Path.GetFileName(fileName.Trim());
        if (name.Length > 255) name = name[..255];
        var sha = Convert.ToHexStringLower(SHA256.HashData(file.Span));
        try
        {
            return await unitOfWork.ExecuteAsync(token => StoreAsync(parsed, name, sha, token), ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            throw new ConflictException("This statement was imported by someone else at the same moment; nothing was imported from this file.");
        }
    }

    /// <summary>Opening + credits − debits must equal the closing balance of every statement, and a file may not repeat a statement.</summary>
    public static void CheckBalances(ParsedStatementFile file)
    {
        var problems = new List<string>();
        foreach (var s in file.Statements)
        {
            if (new[] { Math.Abs(s.OpeningBalance), Math.Abs(s.ClosingBalance), s.TotalCredits, s.TotalDebits }.Any(a => a > MaxAmount))
            {
                problems.Add(Messages.Format("The {0} has a balance or total above {1:N0}, more than Kontor keeps.", s.Label, MaxAmount));
                continue;
            }
            if (s.Discrepancy != 0)
                problems.Add(Messages.Format("The {0} does not add up: opening balance {1} + credits {2} − debits {3} = {4} {5}, but the closing balance is {6} {5} (difference {7}).",
                    s.Label, Format(s.OpeningBalance), Format(s.TotalCredits), Format(s.TotalDebits), Format(s.OpeningBalance + s.TotalCredits - s.TotalDebits), s.Currency,
                    Format(s.ClosingBalance), Format(s.Discrepancy)));
        }
        var repeated = file.Statements.GroupBy(s => (s.AccountIdentifier, s.StatementId, s.StatementNumber, s.OpeningDate, s.ClosingDate)).Where(g => g.Count() > 1).ToList();
        foreach (var group in repeated)
            problems.Add(Messages.Format("The file contains the {0} {1} times.", group.First().Label, group.Count()));
        if (problems.Count > 0) throw NothingImported(problems);
    }

    private async Task<BankImportResult> StoreAsync(ParsedStatementFile parsed, string fileName, string sha, CancellationToken ct)
    {
        var accounts = await db.CompanyBankAccounts.AsNoTracking().ToListAsync(ct);
        var errors = new List<string>();
        var resolved = new List<(ParsedStatement Parsed, CompanyBankAccount Account)>();
        foreach (var s in parsed.Statements)
        {
            var account = BankAccountMatcher.Find(accounts, s.AccountIdentifier);
            if (account is null)
            {
                if (accounts.Count == 0)
                    errors.Add(Messages.Format("The account {0} of the {1} is not one of the company's bank accounts (none is registered). " +
                                               "Add it in the company settings (with its statement account id when the bank does not use the IBAN) and import again.",
                        s.AccountIdentifier, s.Label));
                else
                    errors.Add(Messages.Format("The account {0} of the {1} is not one of the company's bank accounts ({2}). " +
                                               "Add it in the company settings (with its statement account id when the bank does not use the IBAN) and import again.",
                        s.AccountIdentifier, s.Label, string.Join(", ", accounts.Select(Describe))));
                continue;
            }
            if (account.Currency != s.Currency || (s.AccountCurrency is not null && s.AccountCurrency != account.Currency))
            {
                errors.Add(Messages.Format("The {0} is in {1}, but the company account {2} is kept in {3}.", s.Label, s.AccountCurrency ?? s.Currency, account.Iban, account.Currency));
                continue;
            }
            resolved.Add((s, account));
        }
        if (errors.Count > 0) throw NothingImported(errors);

        foreach (var (s, account) in resolved)
        {
            var earlier = await db.BankStatements.AsNoTracking()
                .Where(b => b.BankAccountId == account.Id && b.StatementId == s.StatementId && b.StatementNumber == s.StatementNumber
                            && b.OpeningDate == s.OpeningDate && b.ClosingDate == s.ClosingDate)
                .Select(b => new { b.ImportedAt, b.ImportedBy, b.FileName })
                .FirstOrDefaultAsync(ct);
            if (earlier is null) continue;
            if (earlier.FileName.Length > 0)
                throw new ConflictException($"The {s.Label}, {s.OpeningDate:yyyy-MM-dd} to {s.ClosingDate:yyyy-MM-dd}, was already imported on {earlier.ImportedAt:yyyy-MM-dd HH:mm} UTC by {earlier.ImportedBy} from {earlier.FileName}; nothing was imported from this file.");
            throw new ConflictException($"The {s.Label}, {s.OpeningDate:yyyy-MM-dd} to {s.ClosingDate:yyyy-MM-dd}, was already imported on {earlier.ImportedAt:yyyy-MM-dd HH:mm} UTC by {earlier.ImportedBy}; nothing was imported from this file.");
        }

        var now = clock.GetUtcNow();
        var imported = new List<ImportedStatement>();
        foreach (var (s, account) in resolved)
        {
            var statement = new BankStatement
            {
                BankAccountId = account.Id, AccountIdentifier = Limit(s.AccountIdentifier, 64)!, StatementId = Limit(s.StatementId, 64)!,
                StatementNumber = Limit(s.StatementNumber, 64)!, Currency = s.Currency,
                OpeningDate = s.OpeningDate, OpeningBalance = s.OpeningBalance, ClosingDate = s.ClosingDate, ClosingBalance = s.ClosingBalance,
                TotalCredits = s.TotalCredits, TotalDebits = s.TotalDebits, LineCount = s.Lines.Count, Format = parsed.Format,
                FileName = fileName, FileSha256 = sha, ImportedAt = now, ImportedById = actor.UserId, ImportedBy = actor.Name,
            };
            statement.Lines.AddRange(s.Lines.Select((l, i) => new BankStatementLine
            {
                StatementId = statement.Id, Position = i + 1, Amount = l.Amount, Currency = l.Currency, Direction = l.Direction,
                IsReversal = l.IsReversal, BookingDate = l.BookingDate, ValueDate = l.ValueDate,
                Title = Limit(l.Details.Title, 1000), CounterpartyName = Limit(l.Details.CounterpartyName, 300),
                CounterpartyAccount = Limit(l.Details.CounterpartyAccount, 34), CounterpartyAddress = Limit(l.Details.CounterpartyAddress, 300),
                CounterpartyNip = l.Details.CounterpartyNip, EndToEndId = Limit(l.EndToEndId, 64), BankReference = Limit(l.BankReference, 64),
                CreditorReference = Limit(l.CreditorReference, 64), TransactionCode = Limit(l.TransactionCode, 64),
                IsSplitPayment = l.Details.SplitPayment is not null, SplitPaymentVat = l.Details.SplitPayment?.Vat,
                SplitPaymentInvoice = Limit(l.Details.SplitPayment?.Invoice, 200), SplitPaymentTaxId = Limit(l.Details.SplitPayment?.Nip, 32),
                RawDetails = Limit(l.RawDetails, 4000), Status = BankLineStatus.Unmatched,
            }));
            db.BankStatements.Add(statement);
            audit.Record("bank-statement.imported", nameof(BankStatement), statement.Id, new
            {
                account = account.Iban, statement.StatementId, statement.StatementNumber, statement.Currency,
                openingDate = statement.OpeningDate, statement.OpeningBalance, closingDate = statement.ClosingDate, statement.ClosingBalance,
                statement.TotalCredits, statement.TotalDebits, lines = statement.LineCount, format = parsed.Format.ToString(), fileName, sha256 = sha,
            });
            imported.Add(new ImportedStatement(statement.Id, account.Id, account.Iban, statement.StatementId, statement.StatementNumber, statement.Currency,
                statement.OpeningDate, statement.OpeningBalance, statement.ClosingDate, statement.ClosingBalance, statement.TotalCredits, statement.TotalDebits, statement.LineCount));
        }
        return new BankImportResult(parsed.Format, parsed.Encoding, fileName, imported);
    }

    /// <summary>The file's refusal: every problem found (at most 20), after the line that says nothing was imported.</summary>
    private static ValidationException NothingImported(IEnumerable<string> problems) =>
        new(new Dictionary<string, string[]> { [FileField] = [.. problems.Prepend(Messages.Translate("Nothing was imported.")).Take(21)] });

    private static string Describe(CompanyBankAccount a) =>
        a.StatementAccountId is { Length: > 0 } alias ? Messages.Format("{0} {1} (statement id {2})", a.Iban, a.Currency, alias) : $"{a.Iban} {a.Currency}";

    private static string Format(decimal amount) => amount.ToString("0.00###", System.Globalization.CultureInfo.InvariantCulture);

    private static string? Limit(string? text, int max) => text is null ? null : text.Length <= max ? text : text[..max];
}

/// <summary>
/// Which company account a statement belongs to. The file's identifier (MT940 :25:, camt Acct/Id) matches an account
/// when it is its IBAN, its IBAN without the two country letters (the Polish NRB, which many banks put in :25:), or the
/// account's explicit statement account id (for banks that use a bank code/number such as "50880050/0194787400888").
/// </summary>
public static class BankAccountMatcher
{
    public static CompanyBankAccount? Find(IEnumerable<CompanyBankAccount> accounts, string identifier)
    {
        var id = Normalise(identifier);
        if (id.Length == 0) return null;
        return accounts.FirstOrDefault(a => a.Iban == id)
               ?? accounts.FirstOrDefault(a => a.Iban.Length > 2 && a.Iban[2..] == id)
               ?? accounts.FirstOrDefault(a => a.StatementAccountId is { Length: > 0 } alias && Normalise(alias) == id);
    }

    public static string Normalise(string? identifier) =>
        new string((identifier ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray()).TrimStart('/').ToUpperInvariant();
}
