namespace Kontor.Banking;

public enum StatementFormat { Mt940, Camt053 }

/// <summary>How a line moves the account balance: Credit = money in, Debit = money out (after reversals are applied).</summary>
public enum BankLineDirection { Credit, Debit }

/// <summary>Where a line stands in reconciliation. Import writes Unmatched; matching writes Suggested or Matched; a person accepts (Matched) or ignores.</summary>
public enum BankLineStatus { Unmatched, Suggested, Matched, Ignored }

/// <summary>
/// One bank statement as imported: a company bank account's opening and closing balance and the lines between.
/// The natural key (account, statement id, statement number, opening and closing date) is unique in the
/// database, so the same statement cannot be imported twice, not even by two imports racing.
/// Statements are records of what the bank said: nothing here is edited after import except a line's status.
/// </summary>
public sealed class BankStatement
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid BankAccountId { get; init; }
    /// <summary>The account as the file names it (:25: or Acct/Id), kept for the reader.</summary>
    public string AccountIdentifier { get; init; } = "";
    /// <summary>MT940 :20: transaction reference, camt Stmt/Id.</summary>
    public string StatementId { get; init; } = "";
    /// <summary>MT940 :28C: statement/sequence number as written, camt ElctrncSeqNb (or LglSeqNb); empty when the file has none.</summary>
    public string StatementNumber { get; init; } = "";
    public string Currency { get; init; } = "";
    public DateOnly OpeningDate { get; init; }
    /// <summary>Signed: negative is a debit balance.</summary>
    public decimal OpeningBalance { get; init; }
    public DateOnly ClosingDate { get; init; }
    public decimal ClosingBalance { get; init; }
    public decimal TotalCredits { get; init; }
    public decimal TotalDebits { get; init; }
    public int LineCount { get; init; }
    public StatementFormat Format { get; init; }
    public string FileName { get; init; } = "";
    /// <summary>SHA-256 of the file, hex: shows two statements came from the same file.</summary>
    public string FileSha256 { get; init; } = "";
    public DateTimeOffset ImportedAt { get; init; }
    public Guid? ImportedById { get; init; }
    public string ImportedBy { get; init; } = "";
    public List<BankStatementLine> Lines { get; init; } = [];
}

/// <summary>
/// One movement on a statement, with everything the matching needs: amount and direction, dates, the title,
/// the counterparty (name, account, NIP when the bank gives it), references, and the split-payment (MPP) data
/// read from a /VAT/…/IDC/…/INV/…/TXT/ title. The raw :86: or remittance text is kept as the bank wrote it.
/// </summary>
public sealed class BankStatementLine
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid StatementId { get; init; }
    /// <summary>1-based position in the statement.</summary>
    public int Position { get; init; }
    /// <summary>Positive; <see cref="Direction"/> says which way it moves the balance.</summary>
    public decimal Amount { get; init; }
    public string Currency { get; init; } = "";
    public BankLineDirection Direction { get; init; }
    /// <summary>MT940 RC/RD or camt RvslInd: the bank reverses an earlier booking.</summary>
    public bool IsReversal { get; init; }
    public DateOnly? BookingDate { get; init; }
    public DateOnly ValueDate { get; init; }
    /// <summary>Payment title / remittance information, joined into one line of text.</summary>
    public string? Title { get; init; }
    public string? CounterpartyName { get; init; }
    /// <summary>IBAN, or the national account number (NRB) when the bank gives no country prefix; no spaces.</summary>
    public string? CounterpartyAccount { get; init; }
    public string? CounterpartyAddress { get; init; }
    /// <summary>Counterparty NIP (10 digits) when the ~ layout, an MPP title or camt party id gives a valid one.</summary>
    public string? CounterpartyNip { get; init; }
    /// <summary>camt EndToEndId; MT940 customer reference (:61: before //) when it is not NONREF.</summary>
    public string? EndToEndId { get; init; }
    /// <summary>Bank's reference: camt AcctSvcrRef, MT940 :61: reference after //.</summary>
    public string? BankReference { get; init; }
    /// <summary>camt structured creditor reference (CdtrRefInf/Ref).</summary>
    public string? CreditorReference { get; init; }
    /// <summary>MT940 :61: transaction type (NTRF, N911, …) or camt bank transaction code.</summary>
    public string? TransactionCode { get; init; }
    /// <summary>The title is a split-payment (MPP) instruction: /VAT/…/IDC/…/INV/…/TXT/.</summary>
    public bool IsSplitPayment { get; init; }
    public decimal? SplitPaymentVat { get; init; }
    /// <summary>Invoice number(s) of an MPP title (INV field) as written.</summary>
    public string? SplitPaymentInvoice { get; init; }
    /// <summary>IDC of an MPP title: the supplier's NIP (ours on money in, the counterparty's on money out).</summary>
    public string? SplitPaymentTaxId { get; init; }
    /// <summary>The :86: content or the remittance text, unparsed (line breaks kept).</summary>
    public string? RawDetails { get; init; }
    public BankLineStatus Status { get; set; } = BankLineStatus.Unmatched;

    // Reconciliation (docs/banking.md, "Matching"): set once when the line is settled, never changed afterwards.
    /// <summary>How the line was settled; null while it waits in the queue.</summary>
    public BankLineResolution? Resolution { get; set; }
    /// <summary>The party the payment was registered for (the customer on money in, the supplier on money out).</summary>
    public Guid? PartyId { get; set; }
    /// <summary>The payment registered from this line (null for ignored lines).</summary>
    public Guid? PaymentId { get; set; }
    /// <summary>Confidence of the suggestion that was posted automatically or accepted.</summary>
    public decimal? MatchConfidence { get; set; }
    /// <summary>Why the line was ignored (own transfer…), or what it was booked to (Booked).</summary>
    public string? ResolutionNote { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
    /// <summary>The matcher's suggestions of the last run, as JSON (<see cref="Matching.StoredSuggestions"/>); null before matching ran.</summary>
    public string? SuggestionsJson { get; set; }
    public DateTimeOffset? MatchedAt { get; set; }
}

/// <summary>
/// How a statement line left the reconciliation queue. Booked: posted straight to an account of the chart (a bank fee or
/// another cost on money out; the journal entry has source type "bank-line" and the line's id), no payment.
/// </summary>
public enum BankLineResolution { Automatic, Accepted, Split, Assigned, Ignored, Booked }
