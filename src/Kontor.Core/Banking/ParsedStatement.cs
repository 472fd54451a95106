using Kontor.Common;

namespace Kontor.Banking;

/// <summary>A statement file as read, before any check against the books.</summary>
public sealed record ParsedStatementFile(StatementFormat Format, string Encoding, IReadOnlyList<ParsedStatement> Statements);

/// <param name="AccountIdentifier">As written in the file (:25: or Acct/Id/IBAN or Othr/Id).</param>
/// <param name="Where">Where the statement starts, for messages ("line 12" or "Stmt[2]").</param>
public sealed record ParsedStatement(
    string AccountIdentifier,
    string? AccountCurrency,
    string StatementId,
    string StatementNumber,
    string Currency,
    DateOnly OpeningDate,
    decimal OpeningBalance,
    DateOnly ClosingDate,
    decimal ClosingBalance,
    IReadOnlyList<ParsedLine> Lines,
    string Where)
{
    public decimal TotalCredits => Lines.Where(l => l.Direction == BankLineDirection.Credit).Sum(l => l.Amount);
    public decimal TotalDebits => Lines.Where(l => l.Direction == BankLineDirection.Debit).Sum(l => l.Amount);

    /// <summary>Closing balance minus what opening + movements give: zero for a statement that adds up.</summary>
    public decimal Discrepancy => ClosingBalance - (OpeningBalance + TotalCredits - TotalDebits);

    /// <summary>How the statement is named in messages.</summary>
    public string Label => StatementNumber.Length > 0
        ? Messages.Format("statement {0} no. {1} of account {2} ({3})", StatementId, StatementNumber, AccountIdentifier, Where)
        : Messages.Format("statement {0} of account {1} ({2})", StatementId, AccountIdentifier, Where);
}

public sealed record ParsedLine(
    decimal Amount,
    string Currency,
    BankLineDirection Direction,
    bool IsReversal,
    DateOnly? BookingDate,
    DateOnly ValueDate,
    string? TransactionCode,
    string? EndToEndId,
    string? BankReference,
    string? CreditorReference,
    TransactionDetails Details,
    string? RawDetails);

/// <summary>What the details (MT940 :86:, camt TxDtls) say about the counterparty and the purpose.</summary>
public sealed record TransactionDetails(
    string? Title,
    string? CounterpartyName,
    string? CounterpartyAccount,
    string? CounterpartyAddress,
    string? CounterpartyNip,
    SplitPayment? SplitPayment)
{
    public static readonly TransactionDetails Empty = new(null, null, null, null, null, null);
}

/// <summary>A split-payment (mechanizm podzielonej płatności) title: /VAT/10,00/IDC/1234563218/INV/FV 1/2026/TXT/…</summary>
public sealed record SplitPayment(decimal Vat, string? Nip, string? Invoice, string? Text);
